import NexusCore
import NexusLLM
import NexusOrchestrator

/// Wires one session: providers, tool sources, redaction, the orchestrator, and what must stop at exit.
enum SessionFactory {
    final class Parts: Sendable {
        let orchestrator: Orchestrator
        let localServer: LocalModelServer
        init(orchestrator: Orchestrator, localServer: LocalModelServer) {
            self.orchestrator = orchestrator
            self.localServer = localServer
        }
    }

    static func make(context: NexusContext, interaction: any InteractionHandler) async throws -> Parts {
        var providers: [any LLMProvider] = []
        for p in context.config.providers {
            do {
                providers.append(try ProviderFactory.make(config: p, environment: context.environment))
            } catch {
                Terminal.warn("provider \(p.name): \(error.userFacingDescription)")
            }
        }
        let local = LocalModelServer(home: context.paths.home, bus: context.bus)
        let gateway = ProviderGateway(providers: providers, config: context.config, bus: context.bus, localServer: local)
        let orchestrator = try Orchestrator(
            context: context, gateway: gateway, toolSources: [BuiltinTools()], interaction: interaction,
            providers: providers)
        return Parts(orchestrator: orchestrator, localServer: local)
    }

    static func shutdown(_ parts: Parts) async {
        await parts.orchestrator.shutdown()
        await parts.localServer.stop()
    }
}
