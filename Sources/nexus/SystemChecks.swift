import NexusCore
import NexusLLM
import NexusOrchestrator
import NexusSandbox

/// Doctor checks that need the lower layers: provider keys and reachability, C library versions, the
/// sandbox tier.
enum SystemChecks {
    static func run(_ ctx: NexusContext) async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        let providers = await providerChecks(ctx)
        out += providers
        if !ctx.config.providers.isEmpty && !providers.contains(where: { $0.status == .ok }) {
            out.append(
                DoctorCheck(
                    .fail, "providers", "no configured provider answers right now",
                    fix: "set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY, start Ollama, or run `make run` for the local model"))
        }
        out += LibraryVersions.checks()
        let probe = SandboxProbe.run()
        switch probe.tier {
        case "A": out.append(DoctorCheck(.ok, "sandbox", probe.summary))
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

    /// Each configured provider: its key variable set, and whether it answers a model listing.
    static func providerChecks(_ ctx: NexusContext) async -> [DoctorCheck] {
        await withTaskGroup(of: (Int, DoctorCheck).self) { group in
            for (i, p) in ctx.config.providers.enumerated() {
                group.addTask {
                    let label = "provider"
                    let where_ = "\(p.name) (\(p.kind.rawValue), \(p.baseURL ?? "default endpoint"))"
                    if let env = p.apiKeyEnv, (ctx.environment[env] ?? "").isEmpty {
                        return (i, DoctorCheck(.fail, label, "\(where_): \(env) is not set", fix: "export \(env)=... (the provider's API key)"))
                    }
                    do {
                        let client = try ProviderFactory.make(config: p, environment: ctx.environment)
                        switch await Orchestrator.listModels(client, timeout: 3) {
                        case .success(let models):
                            return (i, DoctorCheck(.ok, label, "\(where_): reachable, \(models.count) models"))
                        case .failure(let e):
                            let fix =
                                p.autostart
                                ? (LocalModelServer.setup(home: ctx.paths.home) == nil
                                    ? "run `make run` to install the local model; nexus starts it on first use"
                                    : "nexus starts the local model on first use")
                                : "start the server or fix base_url in nexus.toml"
                            return (i, DoctorCheck(p.autostart ? .warn : .fail, label, "\(where_): \(e.userMessage)", fix: fix))
                        }
                    } catch {
                        return (i, DoctorCheck(.fail, label, "\(where_): \(error.userFacingDescription)"))
                    }
                }
            }
            var results: [(Int, DoctorCheck)] = []
            for await r in group { results.append(r) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
