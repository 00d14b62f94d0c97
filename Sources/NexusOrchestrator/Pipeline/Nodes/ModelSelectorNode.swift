import NexusCore

/// The model selector node: the routed chain for a task type, filtered by privacy mode, or an error that
/// says how to configure one. It announces `model_selected` (and, under local-only, what it skipped).
/// Module builds ask it too, for each of their model calls.
struct ModelSelectorNode: PipelineStage {
    let config: NexusConfig
    let routes: RouteTable
    let privacy: PrivacyMode
    let bus: EventBus
    let turn: Int

    var node: PipelineNode { .modelSelector }

    func run(_ task: TaskType) async throws -> [ModelRef] { try select(task) }

    func detail(_ output: [ModelRef]) -> String? { output.first?.description }

    func select(_ task: TaskType) throws -> [ModelRef] {
        let chain = routes.chain(for: task).chain
        if config.providers.isEmpty || chain.isEmpty {
            throw NexusError(
                "no model provider is configured for \(task)",
                hint: Self.noProviderHint, exit: .failure)
        }
        var usable: [ModelRef] = []
        var refused: [String] = []
        for ref in chain {
            guard let p = config.provider(named: ref.provider) else {
                refused.append("\(ref) (no [providers.\(ref.provider)])")
                continue
            }
            if privacy == .localOnly && !ConfigDecoder.isOnThisMachine(p) {
                refused.append("\(ref) (not local)")
                continue
            }
            usable.append(ref)
        }
        if usable.isEmpty {
            if privacy == .localOnly {
                throw NexusError(
                    "privacy is local-only and every model for \(task) is remote: \(refused.joined(separator: ", "))",
                    hint:
                        "route it to a local model (/model \(task) local:MODEL) or leave local-only with /privacy open")
            }
            throw NexusError(
                "no usable model for \(task): \(refused.joined(separator: ", "))", hint: Self.noProviderHint)
        }
        bus.publish(
            turn: turn,
            .modelSelected(model: usable[0].description, chain: usable.dropFirst().map(\.description)))
        if !refused.isEmpty && privacy == .localOnly {
            bus.publish(turn: turn, .notice("local-only: skipped \(refused.joined(separator: ", "))"))
        }
        return usable
    }

    static let noProviderHint =
        "set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY, start Ollama, or run `make run` for the local model; `nexus doctor` shows what is missing"
}
