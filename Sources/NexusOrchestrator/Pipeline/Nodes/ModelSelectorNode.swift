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
        if config.providers.isEmpty {
            throw NexusError(
                "no model provider is configured for \(task)",
                hint: Self.noProviderHint, exit: .failure)
        }
        if chain.isEmpty { throw Self.noRouteError(task, providers: config.providers.map(\.name)) }
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

    /// Providers are declared but nothing names a model for `task`: no `[routing]` entry (nor a
    /// `simple_query` one to follow) and no provider lists `models`. Setting an API key would not help, so
    /// the hint says what would: a route, in the file or at once with `/model`.
    static func noRouteError(_ task: TaskType, providers: [String]) -> NexusError {
        let p = providers.first ?? "PROVIDER"
        let others = providers.count > 1 ? " (or another of: \(providers.joined(separator: ", ")))" : ""
        return NexusError(
            "no model is routed for \(task): [routing] names none and no provider lists models",
            hint: "add \(task) = \"\(p):MODEL\" under [routing] in nexus.toml\(others), or type /model \(task) "
                + "\(p):MODEL; `nexus models` lists the models \(p) serves",
            exit: .failure)
    }

    static let noProviderHint =
        "set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY, start Ollama, or run `make run` for the local model; `nexus doctor` shows what is missing"
}
