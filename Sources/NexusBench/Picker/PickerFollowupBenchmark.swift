import NexusCore
import NexusLLM
import NexusModules
import NexusPOSIX

/// The `picker.followups.…` rows of `nexus bench picker`: turns that continue a conversation ("reply that I'll look
/// at it after lunch" after Slack's channel history was read), ranked alone (`…lexical`, `…hybrid`) and with the
/// session's memory of the tools the earlier turns called (`….continuity`: `RecentTools` kept in a third of the
/// budget, their apps in the usage prior's session weights).
///
/// Data: testdata/picker/followups.jsonl, one conversation a line: `{"turns": [{"query", "called"}], "query",
/// "expected", "kind"}` (`kind`: `other_tool` of the same app, `same_tool` again, `switch` to another app). Split
/// by position: even lines tune, odd lines are the holdout, whose misses are never printed.
enum PickerFollowupBenchmark {
    /// One conversation: the tools its earlier turns called (one list per turn, oldest first) and its follow-up.
    struct Conversation: Sendable {
        var earlier: [[String]]
        var query: String
        var expected: String
        var kind: String
    }

    /// The two halves and the follow-ups' query embeddings (empty without an endpoint).
    struct Loaded: Sendable {
        var sets: [(String, [Conversation])]
        var vectors: [String: [[Float]]]
    }

    static func load(data: String, client: EmbeddingClient?) async -> Result<Loaded, ToolCatalogError> {
        let path = data + "/followups.jsonl"
        let all: [Conversation]
        do { all = try parse(path) } catch { return .failure(error) }
        let sets = [
            ("tuning", all.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)),
            ("holdout", all.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)),
        ]
        var vectors: [String: [[Float]]] = [:]
        if let client {
            for c in all where vectors[c.query] == nil {
                if let v = try? await client.embed(QueryTexts.forEmbedding(c.query), timeout: 30), !v.isEmpty {
                    vectors[c.query] = v
                }
            }
        }
        return .success(Loaded(sets: sets, vectors: vectors))
    }

    static func parse(_ path: String) throws(ToolCatalogError) -> [Conversation] {
        let text: String
        do { text = try FileSystem.readText(path) } catch { throw .unreadable(path: path, reason: error.userMessage) }
        var out: [Conversation] = []
        for (i, raw) in text.split(separator: "\n").enumerated() where !raw.allSatisfy({ $0 == " " }) {
            let value: JSONValue
            do { value = try JSONValue(parsing: String(raw)) } catch {
                throw .invalid(path: path, line: i + 1, reason: error.description)
            }
            guard let query = value["query"]?.stringValue, let expected = value["expected"]?.stringValue,
                let turns = value["turns"]?.arrayValue
            else {
                throw .invalid(path: path, line: i + 1, reason: "expected \"turns\", \"query\" and \"expected\"")
            }
            let earlier = turns.map { t in t["called"]?.stringValue.map { [$0] } ?? [] }
            out.append(
                Conversation(
                    earlier: earlier, query: query, expected: expected, kind: value["kind"]?.stringValue ?? ""))
        }
        return out
    }

    /// A first stage: (query, k, prior) → tool indices best first.
    typealias Rank = (String, Int, AppUsagePrior?) -> [Int]

    /// The rows for one catalogue, lexical and (with a semantic half) hybrid, or why they could not run. `turns` (the
    /// tuning and holdout sets, with their query `vectors`) also give the cost side: each turn after a turn that called
    /// a tool of another app (`afterAnotherApp`), where the memory can only be in the way.
    static func rows(
        _ result: Result<Loaded, ToolCatalogError>, turns: [(String, [ToolCatalogFile.LabelledQuery])],
        vectors: [String: [[Float]]], catalogue label: String, lexical: ToolIndex, hybrid: HybridRanker?,
        buildMs: Double, environment: [String: String], progress: BenchProgress
    ) -> [BenchRow] {
        var loaded: Loaded
        switch result {
        case .success(let l): loaded = l
        case .failure(let error):
            return [.couldNotRun("picker.followups.\(label)", reason: error.userFacingDescription)]
        }
        loaded.sets += turns.map { ($0.0 + "_after_another_app", afterAnotherApp($0.1)) }
        loaded.vectors.merge(vectors) { a, _ in a }
        var modes: [(String, Rank)] = [
            ("lexical", { q, k, prior in lexical.rank(query: q, k: k, usage: prior).map(\.index) })
        ]
        if let hybrid {
            let vectors = loaded.vectors
            modes.append(
                (
                    "hybrid",
                    { q, k, prior in hybrid.rank(query: q, vectors: vectors[q] ?? [], k: k, usage: prior).map(\.index) }
                ))
        }
        return rows(
            loaded, catalogue: label, index: lexical, modes: modes, buildMs: buildMs, environment: environment,
            progress: progress)
    }

    /// Each turn after one that called the label of the turn half the set away (or the next one of another app): a
    /// change of topic that names no app, the memory's cost.
    static func afterAnotherApp(_ turns: [ToolCatalogFile.LabelledQuery]) -> [Conversation] {
        let n = turns.count
        return turns.enumerated().map { i, t in
            let app = ToolIndex.splitName(t.expected).namespace
            let other = (0..<n).lazy.map { turns[(i + n / 2 + $0) % n].expected }
                .first { ToolIndex.splitName($0).namespace != app }
            return Conversation(
                earlier: [other.map { [$0] } ?? []], query: t.query, expected: t.expected, kind: "after_another_app")
        }
    }

    static func rows(
        _ loaded: Loaded, catalogue label: String, index: ToolIndex, modes: [(String, Rank)], buildMs: Double,
        environment: [String: String], progress: BenchProgress
    ) -> [BenchRow] {
        let settings = PickerUsageBenchmark.settings(environment["NEXUS_PICKER_TUNE"] ?? "")
        var position: [String: Int] = [:]
        for (i, t) in index.tools.enumerated() where position[t.name] == nil { position[t.name] = i }
        var rows: [BenchRow] = []
        for (name, conversations) in loaded.sets {
            let byQuery = Dictionary(conversations.map { ($0.query, $0) }, uniquingKeysWith: { a, _ in a })
            let turns = conversations.map { ToolCatalogFile.LabelledQuery(query: $0.query, expected: $0.expected) }
            let switches = turns.filter { byQuery[$0.query]?.kind == "switch" }
            for (mode, rank) in modes {
                for continuity in [false, true] {
                    let ranked: (String, Int) -> [Int] = { q, k in
                        guard continuity, let c = byQuery[q] else { return rank(q, k, nil) }
                        let recent = RecentTools(turns: c.earlier)
                        let prior = AppUsagePrior(visits: [:], index: index, settings: settings)
                            .withSession(recent, index: index)
                        func offer(_ budget: Int) -> [Int] {
                            recent.keep(rank(q, budget, prior), k: budget, name: { index.tools[$0].name }) {
                                position[$0]
                            }
                        }
                        // What a budget of 5 offers (recall@1, @5), then what a budget of k adds (recall@20): the
                        // remembered tools take the last third of each budget, not the end of a list of 20.
                        var out = offer(min(5, k))
                        guard k > 5 else { return out }
                        for i in offer(k) where out.count < k && !out.contains(i) { out.append(i) }
                        return out
                    }
                    let s = PickerEvaluation.score(tools: index.tools, turns: turns, rounds: 1, rank: ranked)
                    let sw = PickerEvaluation.score(tools: index.tools, turns: switches, rounds: 1, rank: ranked)
                    let full = mode + (continuity ? ".continuity" : "")
                    var row = PickerRetrievalBenchmark.row(
                        set: "followups." + name, catalogue: label, mode: full, score: s, tools: index.count,
                        buildMs: buildMs)
                    row.target = ""
                    row.passed = nil
                    row.note =
                        (sw.queries == 0
                            ? "each turn after a call of another app's tool; "
                            : "switch turns (the follow-up goes to another app) recall@5 "
                                + "\(BenchmarkFormat.ms(sw.recallAt5)) of \(sw.queries); ")
                        + (continuity
                            ? "with the earlier turns' tools (session strength \(settings.sessionStrength)); "
                            : "the follow-up alone; ") + row.note
                    rows.append(row)
                    if name.hasPrefix("tuning") {
                        progress(PickerRetrievalBenchmark.missText("followups \(name) \(label) \(full)", s.misses))
                    }
                }
            }
        }
        return rows
    }
}
