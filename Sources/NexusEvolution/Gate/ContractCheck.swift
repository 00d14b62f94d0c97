import NexusModules

/// Check g: a real call against the API's spec or local mock (the next issue's contract farm). Until the
/// farm exists there is neither, so it is skipped with that evidence. The farm plugs in through `Hook`:
/// given the manifest and the checked copy of the folder, it returns the check (or nil: no spec or mock
/// for this API, skipped as today).
public enum ContractCheck {
    public typealias Hook = @Sendable (_ manifest: ModuleManifest, _ folder: String) async -> GateCheck?

    static let noSpec = "no spec or mock for this API (the contract farm is not built yet)"

    static func run() -> GateCheck { .skip("contract", noSpec) }

    static func run(_ hook: Hook?, manifest: ModuleManifest?, folder: String) async -> GateCheck {
        guard let hook, let manifest, let check = await hook(manifest, folder) else { return run() }
        return check
    }
}
