import NexusCore
import NexusOrchestrator

/// Wires one session: providers, tool sources, redaction, the orchestrator, and the lossless writers.
enum SessionFactory {
    static func make(context: NexusContext, interaction: any InteractionHandler) async throws -> Orchestrator {
        let gateway = ProviderGateway(providers: [], bus: context.bus, price: { _, _, _ in 0 })
        return try Orchestrator(
            context: context, gateway: gateway, toolSources: [BuiltinTools()], interaction: interaction)
    }

    static func shutdown(_ session: Orchestrator) async {
        await session.shutdown()
    }
}
