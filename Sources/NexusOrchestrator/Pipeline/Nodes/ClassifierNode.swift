import NexusCore

/// The classifier node: which task type a line is (chat, code generation, build a module …). Heuristics
/// first; when they are unsure and `[classifier] use_model_when_unclear` is on, the classification model
/// picks among the known task types. Its failure never fails the turn: the heuristic answer stands.
struct ClassifierNode: PipelineStage {
    let heuristics: IntentClassifier
    let config: NexusConfig
    let routes: RouteTable
    let gateway: any ModelGateway
    let turn: Int
    let session: String
    let privacy: PrivacyMode

    var node: PipelineNode { .classifier }

    func run(_ input: String) async -> IntentClassifier.Decision {
        let heuristic = heuristics.classify(input)
        guard config.classifier.useModelWhenUnclear, !heuristic.confident else { return heuristic }
        let chain = routes.chain(for: .classification).chain
        guard !chain.isEmpty else { return heuristic }
        let names = config.taskTypes.filter { $0 != .classification }.map(\.rawValue)
        let prompt = """
            Classify the user's request into exactly one of these task types: \(names.joined(separator: ", ")).
            Reply with the task type name only.

            Request: \(String(input.prefix(2000)))
            """
        let request = LLMRequest(model: chain[0].model, messages: [.user(prompt)], maxTokens: 16, temperature: 0)
        let ctx = CallContext(
            turn: turn, session: session, taskType: .classification, tier: routes.config.tier(for: .classification),
            privacy: privacy, service: "classifier")
        // A classification model that fails (or is absent) leaves the heuristic decision, which is said in the route.
        guard let reply = try? await gateway.complete(chain: chain, request: request, context: ctx, onText: { _ in })
        else { return heuristic }
        let answer = reply.text.lowercased()
        if let match = names.first(where: { answer.contains($0) }) {
            return .init(
                taskType: TaskType(match), reason: "classification model (\(heuristic.reason))", confident: true)
        }
        return heuristic
    }

    func detail(_ output: IntentClassifier.Decision) -> String? { "\(output.taskType)" }
}
