import NexusCore
import NexusEvolution
import NexusModules
import NexusVault

/// The credentials stage of a build, after the install: each credential the module declares and the vault
/// does not hold yet is stored — given with `--credential`, else asked for with hidden input (each may be
/// skipped). What is still missing is said at the end of the build, with the command that sets it.
struct CredentialsStage: PipelineStage {
    struct Input: Sendable {
        var manifest: ModuleManifest
        /// The `--credential` values, by name.
        var given: [String: [UInt8]]
    }

    struct Outcome: Sendable {
        /// The vault, when it could be opened (the live test's module reads its credentials from it).
        var store: CredentialStore?
        var missing: [ModuleManifest.Credential]
    }

    let setup: BuildSetup
    let interaction: any InteractionHandler
    let bus: EventBus
    let turn: Int

    var node: PipelineNode { .credentials }

    func run(_ input: Input) async -> Outcome {
        let manifest = input.manifest
        // A --credential the module does not declare (a typo, or a name the model chose differently) is
        // said, not dropped in silence.
        let declared = manifest.credentials.map(\.name)
        for name in input.given.keys.sorted() where !declared.contains(name) {
            let names = declared.isEmpty ? "declares none" : "declares " + declared.joined(separator: ", ")
            notice("--credential \(name): \(manifest.name) has no credential of that name (it \(names)); not stored")
        }
        if manifest.credentials.isEmpty { return Outcome(store: nil, missing: []) }
        let store: CredentialStore
        do { store = try setup.openVault() } catch {
            notice("vault: \(error.userFacingDescription) — no credential stored")
            return Outcome(store: nil, missing: manifest.credentials)
        }
        // A vault that cannot be listed asks for every credential; storing then reports its own errors.
        let have = Set(((try? store.list(module: manifest.name)) ?? []).map(\.name))
        var missing: [ModuleManifest.Credential] = []
        for c in manifest.credentials where !have.contains(c.name) {
            var value = input.given[c.name]
            if value == nil {
                let prompt = SecretPrompt(module: manifest.name, name: c.name, instructions: c.instructions)
                value = await interaction.askSecret(prompt).map { Array($0.utf8) }
            }
            guard var v = value, !v.isEmpty else {
                missing.append(c)
                continue
            }
            defer { for i in v.indices { v[i] = 0 } }
            do {
                _ = try store.set(module: manifest.name, name: c.name, value: v, actor: .user(command: "build"))
                notice("stored credential \(manifest.name)/\(c.name) in the vault")
                let advice = CredentialAdvice.valueWarning(v, module: manifest.name, name: c.name)
                if !advice.isEmpty { notice(String(advice.dropLast())) }
            } catch {
                notice("vault: \(error.userFacingDescription)")
                missing.append(c)
            }
        }
        return Outcome(store: store, missing: missing)
    }

    func detail(_ output: Outcome) -> String? { output.missing.isEmpty ? "all set" : "\(output.missing.count) missing" }

    func notice(_ text: String) { bus.publish(turn: turn, .notice(text)) }
}
