import NexusCore
import NexusLLM
import NexusModules
import NexusOrchestrator

/// What `[modules] rerank_tools` costs and gains, measured over a real wire: each turn's lexical top 20 (holdout,
/// with distractors) goes to an OpenAI-compatible server as the reranker sends it in a session, and the reply
/// reorders it. NEXUS_PICKER_RERANK_URL is the server's base URL (e.g. http://127.0.0.1:PORT/v1: a local model
/// such as SmolLM2 under llama.cpp, or `nexus-fake-provider` for the cost alone) and NEXUS_PICKER_RERANK_MODEL its
/// model name. The rows say which it was: a scripted fake measures latency and tokens, never a gain.
enum PickerRerankBenchmark {
    static func run(
        tools: [ToolDefinition], lexical: ToolIndex, turns: [ToolCatalogFile.LabelledQuery], label: String,
        environment: [String: String]
    ) async -> [BenchRow] {
        guard let url = environment["NEXUS_PICKER_RERANK_URL"] else { return [] }
        let model = environment["NEXUS_PICKER_RERANK_MODEL"] ?? "fake-model"
        var config = NexusConfig()
        var p = ProviderConfig(name: "rerank", kind: .openai)
        p.baseURL = url
        p.maxRetries = 0
        config.providers = [p]
        let gateway: ProviderGateway
        do {
            let provider = try ProviderFactory.make(config: p, environment: [:])
            gateway = ProviderGateway(providers: [provider], config: config, bus: EventBus(), localServer: nil)
        } catch {
            return [.couldNotRun("picker.rerank", reason: "\(error)")]
        }
        let context = CallContext(
            turn: 0, session: "bench", taskType: .classification, tier: .standard, privacy: .open,
            service: "tool-rerank")
        let reranker = ToolReranker(
            gateway: gateway, chain: [ModelRef(provider: "rerank", model: model)], context: context,
            timeoutMs: Int(environment["NEXUS_PICKER_RERANK_TIMEOUT_MS"] ?? "") ?? 3_000)
        var ms: [Double] = []
        var before = 0
        var after = 0
        var reordered = 0
        var tokensIn = 0
        var tokensOut = 0
        var promptChars = 0
        for turn in turns {
            let top = lexical.pick(query: turn.query, k: ToolReranker.candidates)
            promptChars += ToolReranker.prompt(turn: turn.query, tools: top).count
            if top.prefix(5).contains(where: { $0.name == turn.expected }) { before += 1 }
            let t0 = MonotonicClock.nanoseconds()
            let out = await reranker.rerank(top, turn: turn.query)
            ms.append(MonotonicClock.millisSince(t0))
            if out.tools.prefix(5).contains(where: { $0.name == turn.expected }) { after += 1 }
            if out.reordered { reordered += 1 }
            tokensIn += out.tokensIn
            tokensOut += out.tokensOut
        }
        let n = Double(max(turns.count, 1))
        let stats = Stats(ms)
        return [
            BenchRow(
                name: "picker.rerank.holdout.\(label).lexical", p50: stats.percentile(0.5), p99: stats.percentile(0.99),
                target: "cost of [modules] rerank_tools",
                note: "\(model) at \(url): recall@5 \(BenchmarkFormat.ms(Double(before) / n)) → "
                    + "\(BenchmarkFormat.ms(Double(after) / n)); \(reordered)/\(turns.count) reordered; "
                    + "tokens per turn "
                    + "in \(tokensIn / max(turns.count, 1)), out \(tokensOut / max(turns.count, 1)) (as the server "
                    + "reports them); prompt ≈ \(promptChars / max(turns.count, 1) / 4) tokens (characters / 4)")
        ]
    }
}
