import NexusModules

/// Check g: real calls against a local server of the API (the challenge farm, issue 15). The farm plugs in
/// through `Hook`: given the manifest and the checked copy of the folder, it returns the check, or nil when
/// no scenario matches the module (then the check is skipped with that evidence).
public enum ContractCheck {
    public typealias Hook = @Sendable (_ manifest: ModuleManifest, _ folder: String) async -> GateCheck?

    static let noSpec = "no farm scenario matches this module (modules validate --farm SCENARIO names one)"

    static func run() -> GateCheck { .skip("contract", noSpec) }

    static func run(_ hook: Hook?, manifest: ModuleManifest?, folder: String) async -> GateCheck {
        guard let hook, let manifest, let check = await hook(manifest, folder) else { return run() }
        return check
    }
}
