import NexusCore
import NexusLLM
import NexusModules

/// `nexus bench picker` on the realistic data (testdata/picker): recall@1/5, MRR@10 and pick latency on the
/// tuning and holdout turns, over the 273 real-ish tools alone and with the 8,924 synthetic distractors,
/// lexical-only and — when an embedding endpoint is given — semantic-only and hybrid. Misses of the tuning
/// sets (with what was picked) go to stderr; the holdout's only with NEXUS_PICKER_MISSES=all.
///
/// The embedding endpoint comes from the environment so the benchmark needs no config file:
/// NEXUS_PICKER_EMBEDDINGS_URL (e.g. http://127.0.0.1:8089/v1/embeddings, served by scripts/minilm-embed.py),
/// NEXUS_PICKER_EMBEDDINGS_API (openai | ollama), NEXUS_PICKER_EMBEDDINGS_MODEL.
enum PickerRetrievalBenchmark {
    static func run(fixtures: String, environment: [String: String], progress: BenchProgress) async -> [BenchRow] {
        let root = fixtures.hasSuffix("/bench/toolpicker") ? String(fixtures.dropLast("/bench/toolpicker".count)) : "."
        let data = root + "/testdata/picker"
        let catalogue: PickerEvaluation.Catalogue
        let sets: [(String, [ToolCatalogFile.LabelledQuery])]
        do {
            catalogue = try PickerEvaluation.catalogue(
                realPath: data + "/tools.jsonl", syntheticPath: fixtures + "/catalog.jsonl")
            sets = [
                ("tuning", try ToolCatalogFile.loadQueries(path: data + "/tuning.jsonl")),
                ("holdout", try ToolCatalogFile.loadQueries(path: data + "/holdout.jsonl")),
            ]
        } catch {
            return [.couldNotRun("picker.real", reason: error.userFacingDescription)]
        }
        let client = environment["NEXUS_PICKER_EMBEDDINGS_URL"].map { url in
            EmbeddingClient(
                api: EmbeddingClient.API(rawValue: environment["NEXUS_PICKER_EMBEDDINGS_API"] ?? "openai") ?? .openAI,
                url: url, model: environment["NEXUS_PICKER_EMBEDDINGS_MODEL"] ?? "all-MiniLM-L6-v2")
        }
        let showHoldoutMisses = environment["NEXUS_PICKER_MISSES"] == "all"
        let tuned = tuning(environment["NEXUS_PICKER_TUNE"] ?? "")
        var rows: [BenchRow] = []
        let followups = await PickerFollowupBenchmark.load(data: data, client: client)
        var queryVectors: [String: [[Float]]] = [:]
        var embedMs: [Double] = []
        var semanticNote = ""
        if let client {
            // Query embeddings one request per turn (a long turn's tail as a second input), as a turn would: their
            // latency is the hybrid's extra cost.
            for (_, turns) in sets {
                for t in turns where queryVectors[t.query] == nil {
                    let t0 = MonotonicClock.nanoseconds()
                    if let v = try? await client.embed(QueryTexts.forEmbedding(t.query), timeout: 30), !v.isEmpty {
                        queryVectors[t.query] = v
                    }
                    embedMs.append(MonotonicClock.millisSince(t0))
                }
            }
        }
        for withDistractors in [false, true] {
            let tools = withDistractors ? catalogue.all : catalogue.real
            let label = withDistractors ? "+\(catalogue.distractors.count)" : "real"
            let t0 = MonotonicClock.nanoseconds()
            let lexical = ToolIndex(tools, weights: tuned.0, expansionWeight: tuned.2.expansion, routing: tuned.1)
            let buildMs = MonotonicClock.millisSince(t0)
            var semantic: SemanticIndex?
            if let client {
                let t1 = MonotonicClock.nanoseconds()
                var vectors: [[Float]?] = []
                var failed = false
                let texts = tools.map(ToolText.embedding(of:))
                var start = 0
                while start < texts.count && !failed {
                    let batch = Array(texts[start..<min(start + 64, texts.count)])
                    do { vectors += try await client.embed(batch, timeout: 600).map { Optional($0) } } catch {
                        semanticNote = error.userFacingDescription
                        failed = true
                    }
                    start += 64
                }
                if !failed, let dim = vectors.first??.count {
                    semantic = SemanticIndex(dimension: dim, vectors: vectors)
                    semanticNote = "\(tools.count) tools embedded in \(Int(MonotonicClock.millisSince(t1))) ms"
                }
            }
            var hybrid = HybridRanker(lexical: lexical, semantic: semantic)
            hybrid.k0 = tuned.2.k0
            hybrid.semanticWeight = tuned.2.semanticWeight
            hybrid.appScope = tuned.2.appScope.flatMap(HybridRanker.AppScope.init(rawValue:)) ?? hybrid.appScope
            hybrid.fullSemanticRanks = tuned.2.fullSemanticRanks ?? hybrid.fullSemanticRanks
            hybrid.depth = tuned.2.depth ?? hybrid.depth
            hybrid.placesByName = tuned.2.placesByName ?? hybrid.placesByName
            if withDistractors {
                var firstStage: [(String, PickerRerankBenchmark.Rank)] = [
                    ("lexical", { lexical.pick(query: $0, k: $1) })
                ]
                if semantic != nil {
                    let vectors = queryVectors
                    firstStage.append(
                        (
                            "hybrid",
                            { [hybrid] q, k in
                                hybrid.rank(query: q, vectors: vectors[q] ?? [], k: k).map { tools[$0.index] }
                            }
                        ))
                }
                rows += await PickerRerankBenchmark.run(
                    sets: sets, modes: firstStage, label: label, environment: environment, progress: progress)
            }
            if withDistractors, let spec = environment["NEXUS_PICKER_EXPLAIN"], let turns = sets.first?.1 {
                // Tuning turns only: why each turn whose text holds one of the `|`-separated strings ranked as it did.
                let wanted = spec.split(separator: "|").map(String.init)
                for t in turns where wanted.contains(where: { t.query.contains($0) }) {
                    progress(lexical.explain(query: t.query) + "  want \(t.expected)\n")
                    if semantic != nil {
                        progress(hybrid.explain(query: t.query, vectors: queryVectors[t.query] ?? [], want: t.expected))
                    }
                }
            }
            for (name, turns) in sets {
                rows.append(PickerCeiling.row(set: name, catalogue: label, tools: tools, turns: turns))
                var modes: [(String, (String, Int) -> [Int])] = [
                    ("lexical", { q, k in lexical.rank(query: q, k: k).map(\.index) })
                ]
                if let semantic {
                    modes.append(
                        ("semantic", { q, k in semantic.rank(bestOf: queryVectors[q] ?? [], k: k).map(\.index) }))
                    modes.append(
                        ("hybrid", { q, k in hybrid.rank(query: q, vectors: queryVectors[q] ?? [], k: k).map(\.index) })
                    )
                }
                for (mode, rank) in modes {
                    PickerDump.write(
                        environment, set: name, catalogue: label, mode: mode, tools: tools, turns: turns,
                        progress: progress, rank: rank)
                    // The semantic scan is timed once per turn (a debug build scans 10k vectors slowly).
                    let s = PickerEvaluation.score(
                        tools: tools, turns: turns, rounds: mode == "lexical" ? 5 : 1, rank: rank)
                    rows.append(
                        row(set: name, catalogue: label, mode: mode, score: s, tools: tools.count, buildMs: buildMs))
                    if name == "tuning" || showHoldoutMisses {
                        progress(missText("\(name) \(label) \(mode)", s.misses))
                    }
                }
            }
            var withHistory: [(String, PickerUsageBenchmark.Rank)] = [
                ("lexical", { q, k, prior in lexical.rank(query: q, k: k, usage: prior).map(\.index) })
            ]
            if semantic != nil {
                withHistory.append(
                    (
                        "hybrid",
                        { [hybrid] q, k, prior in
                            hybrid.rank(query: q, vectors: queryVectors[q] ?? [], k: k, usage: prior).map(\.index)
                        }
                    ))
            }
            rows += PickerUsageBenchmark.rows(
                sets: sets, catalogue: label, index: lexical, modes: withHistory, buildMs: buildMs,
                environment: environment, progress: progress)
            rows += PickerFollowupBenchmark.rows(
                followups, turns: sets, vectors: queryVectors, catalogue: label, lexical: lexical,
                hybrid: semantic == nil ? nil : hybrid, buildMs: buildMs, environment: environment, progress: progress)
        }
        if !embedMs.isEmpty {
            let stats = Stats(embedMs)
            rows.append(
                BenchRow(
                    name: "picker.query_embedding", p50: stats.percentile(0.5), p99: stats.percentile(0.99),
                    target: "hybrid p50 ≤ 10 ms (with pick)",
                    note: "one HTTP request per turn (a caching server answers repeated turns from its cache); "
                        + semanticNote))
        } else if client != nil {
            rows.append(.couldNotRun("picker.semantic", reason: semanticNote))
        }
        return rows
    }

    static func row(
        set: String, catalogue: String, mode: String, score s: PickerEvaluation.Score, tools: Int, buildMs: Double
    ) -> BenchRow {
        let withDistractors = catalogue != "real"
        let target: (String, Bool?) =
            switch (set, withDistractors, mode) {
            case ("holdout", true, "lexical"): ("recall@5 ≥ 0.7", s.recallAt5 >= 0.7)
            case ("holdout", true, "hybrid"): ("recall@5 ≥ 0.85", s.recallAt5 >= 0.85)
            default: ("", nil)
            }
        return BenchRow(
            name: "picker.\(set).\(catalogue).\(mode)", p50: s.recallAt5, p99: s.recallAt1, unit: "recall@5, @1",
            target: target.0, passed: target.1,
            note: "any-app recall@5 \(BenchmarkFormat.ms(s.recallAt5AnyApp)); recall@20 "
                + "\(BenchmarkFormat.ms(s.recallAt20)); MRR@10 \(BenchmarkFormat.ms(s.mrrAt10)); "
                + "pick p50 \(BenchTable.fmt(s.p50Ms)) ms, "
                + "p99 \(BenchTable.fmt(s.p99Ms)) ms; \(tools) tools (index \(Int(buildMs)) ms); \(s.queries) turns, "
                + "\(s.misses.count) misses")
    }

    /// Weights from NEXUS_PICKER_TUNE ("appBoost=0.5,namespace=1"), for tuning without rebuilding.
    static func tuning(_ spec: String) -> (
        ToolIndex.FieldWeights, ToolIndex.Routing,
        (
            k0: Double, semanticWeight: Double, expansion: Float, appScope: Int?, fullSemanticRanks: Bool?,
            depth: Int?, placesByName: Bool?
        )
    ) {
        var w = ToolIndex.FieldWeights()
        var r = ToolIndex.Routing()
        var h = (
            k0: 60.0, semanticWeight: 1.0, expansion: Float(0.3), appScope: Int?.none,
            fullSemanticRanks: Bool?.none, depth: Int?.none, placesByName: Bool?.none
        )
        for pair in spec.split(separator: ",") {
            let kv = pair.split(separator: "=")
            guard kv.count == 2, let v = Float(kv[1]) else { continue }
            switch kv[0] {
            case "namespace": w.namespace = v
            case "name": w.name = v
            case "description": w.description = v
            case "appBoost": r.appBoost = v
            case "appRatio": r.appRatio = v
            case "appEvidence": r.appEvidence = v
            case "typoWeight": r.typoWeight = v
            case "contextWindow": r.contextWindow = Int(v)
            case "contextWeight": r.contextWeight = v
            case "coordination": r.coordination = v
            case "idfPower": r.idfPower = v
            case "routeUnmatched": r.routeUnmatched = v
            case "sameNameLimit": r.sameNameLimit = Int(v)
            case "hashChannelWeight": r.hashChannelWeight = v
            case "englishSpan": r.englishSpan = v
            case "shapeWeight": r.shapeWeight = v
            case "addressWeight": r.addressWeight = v
            case "abbreviationWeight": r.abbreviationWeight = v
            case "unbackedName": r.unbackedName = v
            case "oneWayBacking": r.oneWayBacking = v
            case "expansion": h.expansion = v
            case "parameterName": w.parameterName = v
            case "parameterText": w.parameterText = v
            case "k0": h.k0 = Double(v)
            case "semanticWeight": h.semanticWeight = Double(v)
            case "appScope": h.appScope = Int(v)
            case "fullSemanticRanks": h.fullSemanticRanks = v != 0
            case "fusionDepth": h.depth = Int(v)
            case "placesByName": h.placesByName = v != 0
            default: continue
            }
        }
        return (w, r, h)
    }

    static func missText(_ title: String, _ misses: [PickerEvaluation.Miss]) -> String {
        guard !misses.isEmpty else { return "" }
        var s = "misses, \(title):\n"
        for m in misses { s += "  \(m.query)\n    want \(m.expected); got \(m.picked.joined(separator: ", "))\n" }
        return s
    }
}
