import NexusCore
import NexusLLM
import NexusOrchestrator

/// The provider lines: each configured provider's key and whether it answers, asked in parallel.
extension Doctor {
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
                        case .failure where p.autostart && LocalModelServer.setup(home: ctx.paths.home) != nil:
                            // Installed and not running is the normal state between sessions, not a fault.
                            return (i, DoctorCheck(.ok, label, "\(place): not running; nexus starts it on first use"))
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
