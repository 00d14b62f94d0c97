import NexusCore
import NexusLLM
import NexusModules
import NexusOrchestrator

/// What `[modules] rerank_tools` costs and gains, measured over a real wire: each turn's top 20 (with distractors,
/// from the lexical picker and, when an embedder is given, the hybrid one) goes to an OpenAI-compatible server as
/// the reranker sends it in a session, and the reply reorders it. NEXUS_PICKER_RERANK_URL is the server's base URL
/// (e.g. http://127.0.0.1:PORT/v1: a local model such as SmolLM2 under llama.cpp, or `nexus-fake-provider` for the
/// cost alone) and NEXUS_PICKER_RERANK_MODEL its model name. The rows say which it was: a scripted fake measures
/// latency and tokens, never a gain.
///
/// Every rerank is one model call of seconds on a CPU, so the sets and modes can be narrowed:
/// NEXUS_PICKER_RERANK_SETS (default `tuning,holdout`), NEXUS_PICKER_RERANK_MODES (default `lexical,hybrid`),
/// NEXUS_PICKER_RERANK_TURNS (the first N turns of each set). Turns of the tuning set whose top 5 the rerank
/// changed (gained or lost the expected tool) go to stderr, the holdout's never; with NEXUS_PICKER_RERANK_REPLIES=1
/// so does the start of every tuning reply.
enum PickerRerankBenchmark {
    /// A first-stage ranking: the top `k` tools for a turn.
    typealias Rank = (String, Int) -> [ToolDefinition]

    /// What the session offers the model after the cut (`[modules] max_tools_per_turn`, default 12).
    static let offered = NexusConfig().modules.maxToolsPerTurn

    static func run(
        sets: [(String, [ToolCatalogFile.LabelledQuery])], modes: [(String, Rank)], label: String,
        environment: [String: String], progress: BenchProgress
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
        let wantedSets = (environment["NEXUS_PICKER_RERANK_SETS"] ?? "tuning,holdout").split(separator: ",")
        let wantedModes = (environment["NEXUS_PICKER_RERANK_MODES"] ?? "lexical,hybrid").split(separator: ",")
        let limit = Int(environment["NEXUS_PICKER_RERANK_TURNS"] ?? "") ?? Int.max
        let showReplies = environment["NEXUS_PICKER_RERANK_REPLIES"] == "1"
        var rows: [BenchRow] = []
        for (set, all) in sets where wantedSets.contains(Substring(set)) {
            let turns = Array(all.prefix(limit))
            for (mode, rank) in modes where wantedModes.contains(Substring(mode)) {
                var tally = Tally()
                var changed = ""
                for turn in turns {
                    let top = rank(turn.query, ToolReranker.candidates)
                    tally.promptChars += ToolReranker.prompt(turn: turn.query, tools: top).count
                    let t0 = MonotonicClock.nanoseconds()
                    let out = await reranker.rerank(top, turn: turn.query)
                    tally.ms.append(MonotonicClock.millisSince(t0))
                    let before = top.prefix(5).contains { $0.name == turn.expected }
                    let after = out.tools.prefix(5).contains { $0.name == turn.expected }
                    tally.add(out, before: before, after: after, expected: turn.expected, top: top)
                    if set == "tuning", showReplies {
                        changed +=
                            "  reply for \(turn.expected) (\(out.note ?? "used")): "
                            + out.reply.debugDescription + "\n"
                    }
                    if set == "tuning", before != after {
                        changed +=
                            "  \(after ? "gained" : "lost") \(turn.expected): \(turn.query)\n    model's top 5: "
                            + out.tools.prefix(5).map(\.name).joined(separator: ", ") + "\n"
                    }
                }
                if !changed.isEmpty { progress("rerank \(set) \(label) \(mode), top 5 changed:\n" + changed) }
                rows.append(tally.row(name: "picker.rerank.\(set).\(label).\(mode)", model: model, url: url))
            }
        }
        return rows
    }

    /// What one set and mode added up to.
    struct Tally {
        var ms: [Double] = []
        var at5 = (before: 0, after: 0)
        var atOffered = (before: 0, after: 0)
        var reordered = 0
        var late = 0
        var failed = 0
        var answered = 0
        var tokensIn = 0
        var tokensOut = 0
        var promptChars = 0

        mutating func add(
            _ out: ToolReranker.Outcome, before: Bool, after: Bool, expected: String, top: [ToolDefinition]
        ) {
            if before { at5.before += 1 }
            if after { at5.after += 1 }
            let cut = PickerRerankBenchmark.offered
            if top.prefix(cut).contains(where: { $0.name == expected }) { atOffered.before += 1 }
            if out.tools.prefix(cut).contains(where: { $0.name == expected }) { atOffered.after += 1 }
            if out.reordered { reordered += 1 }
            if out.timedOut { late += 1 } else if out.tokensIn == 0 && !out.reordered { failed += 1 }
            if out.tokensIn > 0 { answered += 1 }
            tokensIn += out.tokensIn
            tokensOut += out.tokensOut
        }

        func row(name: String, model: String, url: String) -> BenchRow {
            let n = max(ms.count, 1)
            let stats = Stats(ms)
            func r(_ x: Int) -> String { BenchmarkFormat.ms(Double(x) / Double(n)) }
            return BenchRow(
                name: name, p50: stats.percentile(0.5), p99: stats.percentile(0.99),
                target: "cost and gain of [modules] rerank_tools",
                note: "\(model) at \(url): recall@5 \(r(at5.before)) → \(r(at5.after)); recall@\(offered) (what the "
                    + "model is offered) \(r(atOffered.before)) → \(r(atOffered.after)); \(reordered)/\(ms.count) "
                    + "reordered, \(late) timed out, \(failed) failed; tokens per answered turn in "
                    + "\(tokensIn / max(answered, 1)), out \(tokensOut / max(answered, 1)) (as the server reports "
                    + "them); prompt ≈ \(promptChars / n / 4) tokens (characters / 4)")
        }
    }
}
