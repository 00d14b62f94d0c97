import NexusCore
import NexusLLM
import NexusModules
import NexusOrchestrator
import NexusSandbox
import NexusVault

/// Doctor checks that need the lower layers: provider keys and reachability, C library versions, the
/// sandbox tier.
enum SystemChecks {
    /// `databaseUsable`: false when the home's database could not be opened; the checks that read it
    /// (modules, vault) then say they were not checked rather than report an empty, healthy store.
    static func run(_ ctx: NexusContext, databaseUsable: Bool = true) async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        let providers = await providerChecks(ctx)
        out += providers
        if !ctx.config.providers.isEmpty && !providers.contains(where: { $0.status == .ok }) {
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
            out += Doctor.moduleCompatibilityChecks((try? ModuleRegistry(database: ctx.database).all()) ?? [])
            out.append(vaultCheck(ctx))
        } else {
            for name in ["modules", "vault"] {
                out.append(DoctorCheck(.warn, name, "not checked: the database could not be opened"))
            }
        }
        out += LibraryVersions.checks()
        let probe = SandboxProbe.run()
        switch probe.tier {
        case "A" where probe.missingLayers(for: .validate).isEmpty:
            out.append(DoctorCheck(.ok, "sandbox", probe.summary))
        case "A":
            out.append(
                DoctorCheck(
                    .warn, "sandbox", probe.summary + " — sandbox runs are refused",
                    fix: "use a kernel with the missing layer, or set sandbox.allow_degraded = true to accept it"))
        case "B":
            out.append(
                DoctorCheck(
                    .warn, "sandbox", probe.summary,
                    fix: "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) for tier A"))
        default:
            out.append(
                DoctorCheck(
                    .warn, "sandbox", probe.summary + " — modules run degraded",
                    fix: "run on a kernel with user namespaces, or set sandbox.allow_degraded = true to accept it"))
        }
        return out
    }

    /// Installed modules and the ones whose last calls failed, from the registry (no module is started).
    static func moduleCheck(_ ctx: NexusContext) -> DoctorCheck {
        // The else branch reports it.
        guard let all = try? ModuleRegistry(database: ctx.database).all() else {
            return DoctorCheck(.warn, "modules", "cannot read the module registry")
        }
        let enabled = all.filter { $0.state == .enabled }
        if enabled.isEmpty {
            return DoctorCheck(.ok, "modules", all.isEmpty ? "none installed" : "\(all.count) installed, none enabled")
        }
        let failing = enabled.filter { $0.health == .failing }
        guard let first = failing.first else {
            let degraded = enabled.filter { $0.health == .degraded }
            // A limit that ended a module is named: the fix is a knob, not a bug hunt.
            let limit = degraded.lazy.compactMap { r in
                r.lastError.flatMap(ModuleLimit.named).map { " (\(r.name) was stopped by its \($0))" }
            }.first
            let state = degraded.isEmpty ? ", none failing" : ", \(degraded.count) degraded"
            return DoctorCheck(
                degraded.isEmpty ? .ok : .warn, "modules", "\(enabled.count) enabled" + state + (limit ?? ""))
        }
        let names = failing.map(\.name).joined(separator: ", ")
        let why = first.lastError.map { " (\(first.name): \(String($0.prefix(120))))" } ?? ""
        return DoctorCheck(
            .warn, "modules", "\(enabled.count) enabled, failing: \(names)\(why)",
            fix:
                "`nexus modules test \(first.name)` shows why; `nexus modules disable \(first.name)` keeps turns from waiting on it"
        )
    }

    /// Whether the key this process has opens the vault, checked without minting a key or asking.
    static func vaultCheck(_ ctx: NexusContext) -> DoctorCheck {
        let keys = VaultKeys(environment: ctx.environment, configDir: ctx.paths.configDir, passphrase: nil)
        switch VaultStatus.check(database: ctx.database, keys: keys) {
        case .empty:
            return DoctorCheck(.ok, "vault", "no credentials yet (a key is made on first use)")
        case .locked(let n):
            return DoctorCheck(
                .ok, "vault", "\(n) credential(s), sealed with a passphrase",
                fix: "`nexus creds unlock` checks the passphrase; modules get credentials once it is given")
        case .open(let n, let source):
            return DoctorCheck(.ok, "vault", "\(n) credential(s), key from \(source)")
        case .failed(let e):
            return DoctorCheck(.fail, "vault", e.userMessage, fix: e.hint)
        }
    }

    /// Each configured provider: its key variable set, and whether it answers a model listing.
    static func providerChecks(_ ctx: NexusContext) async -> [DoctorCheck] {
        await withTaskGroup(of: (Int, DoctorCheck).self) { group in
            for (i, p) in ctx.config.providers.enumerated() {
                group.addTask {
                    let label = "provider"
                    let place = "\(p.name) (\(p.kind.rawValue), \(p.baseURL ?? "default endpoint"))"
                    if let env = p.apiKeyEnv, (ctx.environment[env] ?? "").isEmpty {
                        return (
                            i,
                            DoctorCheck(
                                .fail, label, "\(place): \(env) is not set",
                                fix: "export \(env)=... (the provider's API key)")
                        )
                    }
                    do {
                        let client = try ProviderFactory.make(config: p, environment: ctx.environment)
                        switch await Orchestrator.listModels(client, timeout: 3) {
                        case .success(let models):
                            return (i, DoctorCheck(.ok, label, "\(place): reachable, \(models.count) models"))
                        case .failure(let e):
                            let fix =
                                p.autostart
                                ? (LocalModelServer.setup(home: ctx.paths.home) == nil
                                    ? "run `make run` to install the local model; nexus starts it on first use"
                                    : "nexus starts the local model on first use")
                                : "start the server or fix base_url in nexus.toml"
                            return (
                                i,
                                DoctorCheck(p.autostart ? .warn : .fail, label, "\(place): \(e.userMessage)", fix: fix)
                            )
                        }
                    } catch {
                        return (i, DoctorCheck(.fail, label, "\(place): \(error.userFacingDescription)"))
                    }
                }
            }
            var results: [(Int, DoctorCheck)] = []
            for await r in group { results.append(r) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
