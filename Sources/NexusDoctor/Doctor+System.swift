import NexusCore
import NexusModules
import NexusOrchestrator

/// Doctor checks that need the lower layers: provider keys and reachability, modules, the vault, C library
/// versions, the sandbox tier.
extension Doctor {
    /// `databaseUsable`: false when the home's database could not be opened; the checks that read it
    /// (modules, vault) then say they were not checked rather than report an empty, healthy store.
    static func systemChecks(_ ctx: NexusContext, databaseUsable: Bool = true) async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        let providers = await providerChecks(ctx)
        out += providers
        // A local model that is installed but not running answers on first use: nexus starts it.
        let startsOnUse =
            ctx.config.providers.contains(where: \.autostart) && LocalModelServer.setup(home: ctx.paths.home) != nil
        if !ctx.config.providers.isEmpty && !startsOnUse && !providers.contains(where: { $0.status == .ok }) {
            out.append(
                DoctorCheck(
                    .fail, "providers", "no configured provider answers right now",
                    fix:
                        "set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY, start Ollama, or run `make run` for the local model"
                ))
        }
        if databaseUsable {
            out.append(moduleCheck(ctx))
            // The registry check below reports an unreadable registry.
            out += moduleCompatibilityChecks((try? ModuleRegistry(database: ctx.database).all()) ?? [])
            out.append(vaultCheck(ctx))
            out.append(await toolPickerCheck(ctx))
        } else {
            for name in ["modules", "vault"] {
                out.append(DoctorCheck(.warn, name, "not checked: the database could not be opened"))
            }
        }
        out += libraryChecks()
        out.append(helperCheck())
        out.append(sandboxCheck())
        return out
    }
}
