// libFuzzer harness: the tool picker (NexusModules/ToolPicker), which reads hostile text on every turn — tool
// names, descriptions and parameter names from installed modules (maybe model-written), the user's turn, and the
// query the model writes for `search_tools`.
//
// Input: byte 0 picks k (1–20), byte 1 the hybrid half (bit 3 on; bits 0–2 the dimension − 1; bit 4 special floats),
// byte 2 the routing variant (the config-reachable branches: app-boost gate, look-alike limit, English cap, ...).
// The rest is lines: the first is the turn, each next one a tool, "name<TAB>description<TAB>param,param,...".
// In any field, byte 0x01 followed by n repeats the bytes since the field's last space (n + 1) × 64 times, up to
// 16 KB per input in all, so a 4 KB input can carry a huge parameter or turn (a quadratic cost shows at that size; a
// linear one under ASan would only time out). Fields are decoded leniently (invalid UTF-8 → U+FFFD). The turn is cut
// as every caller of the index cuts it (`ToolRanking.focus`: its last 4,000 characters); descriptions are cut by the
// index itself (`ToolText.indexed`); names are cut to 256 bytes of anything (MCP allows 128 characters of
// `A-Za-z0-9_.-` and `ToolNamespace` makes 64, so no longer name reaches the index).
//
// Oracles beyond "no crash, no sanitizer report": at most k results; every index in range and unique; every score
// finite and positive; `pick` agrees with `rank`; the same with a usage prior (`AppUsagePrior`, counts from the
// tools' namespaces; an empty one changes nothing); the ranking is deterministic (the same index asked twice, and a
// second index built from the same tools, give the same matches); the hybrid ranking keeps the same invariants and
// is the lexical ranking when it has no usable vector. Time: libFuzzer's -timeout (run.sh gives this target 1 s).
//
// Not an oracle: "a turn that is exactly a tool's name finds that tool". The picker does not promise it — a name of
// stop words or single letters ("do_it", "a__b") has no search term, and "an empty or meaningless query picks
// nothing" (ToolIndex.rank); app routing and the look-alike limit may also put other tools first.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPicker(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let k = 1 + Int(data[0]) % 20
    let hybridFlags = data[1]
    let routingFlags = data[2]
    let body = UnsafeBufferPointer(start: data + 3, count: size - 3)
    let lines = body.split(separator: 10, maxSplits: 64, omittingEmptySubsequences: false)
    var budget = PickerFuzzInput.budget
    let whole = PickerFuzzInput.text(lines.first.map(Array.init) ?? [], budget: &budget)
    let turn = whole.utf8.count <= 4000 ? whole : String(whole.suffix(4000))
    var tools: [ToolDefinition] = []
    for line in lines.dropFirst() {
        let fields = line.split(separator: 9, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let name = String(decoding: PickerFuzzInput.text(fields[0], budget: &budget).utf8.prefix(256), as: UTF8.self)
        let description = fields.count > 1 ? PickerFuzzInput.text(fields[1], budget: &budget) : ""
        var properties = JSONObject()
        if fields.count > 2 {
            for (i, param) in fields[2].split(separator: 44, omittingEmptySubsequences: false).prefix(16).enumerated() {
                var schema = JSONObject()
                schema["type"] = "string"
                // Odd parameters also carry a description and an enum, so both schema texts are read.
                if i % 2 == 1 {
                    let text = PickerFuzzInput.text(Array(param.reversed()), budget: &budget)
                    schema["description"] = .string(text)
                    schema["enum"] = .array([.string(text), .number(1), .string("")])
                }
                properties[PickerFuzzInput.text(Array(param), budget: &budget)] = .object(schema)
            }
        }
        var schema = JSONObject()
        schema["type"] = "object"
        schema["properties"] = .object(properties)
        tools.append(ToolDefinition(name: name, description: description, inputSchema: .object(schema)))
    }
    let routing = PickerFuzzInput.routing(routingFlags)

    let index = ToolIndex(tools, routing: routing)
    let ranked = index.rank(query: turn, k: k)
    PickerFuzzInput.check(ranked, k: k, count: tools.count, what: "lexical")
    guard index.rank(query: turn, k: k) == ranked else { fatalError("one index ranked one turn twice differently") }
    let again = ToolIndex(tools, routing: routing)
    guard again.rank(query: turn, k: k) == ranked else { fatalError("two indexes of the same tools rank differently") }
    guard index.pick(query: turn, k: k).map(\.name) == ranked.map({ tools[$0.index].name }) else {
        fatalError("pick and rank disagree")
    }
    _ = index.notes
    for tool in tools.prefix(4) {
        _ = ToolText.embedding(of: tool)
        _ = ToolText.note(for: tool)
    }
    // The usage prior (apps the person used reorder the candidates): counts from the tools' namespaces.
    var visits: [String: Int] = ["not_installed": 9]
    for (i, tool) in tools.enumerated() { visits[ToolIndex.splitName(tool.name).namespace] = (i * 7 + k) % 5 }
    var settings = AppUsagePrior.Settings()
    if hybridFlags & 32 != 0 { settings.form = .tieBreak }
    if hybridFlags & 64 != 0 { settings.strength = routingFlags & 1 == 0 ? 0 : 50 }
    let usage = AppUsagePrior(visits: visits, index: index, settings: settings)
    let used = index.rank(query: turn, k: k, usage: usage)
    PickerFuzzInput.check(used, k: k, count: tools.count, what: "usage prior")
    guard again.rank(query: turn, k: k, usage: usage) == used else { fatalError("usage-prior ranking varies") }
    if usage.isEmpty && used != ranked { fatalError("an empty usage prior changed the ranking") }
    let texts = QueryTexts.forEmbedding(turn)
    guard (1...2).contains(texts.count) else { fatalError("forEmbedding gave \(texts.count) texts") }

    guard hybridFlags & 8 != 0 else { return 0 }
    let dimension = 1 + Int(hybridFlags & 7)
    let special = hybridFlags & 16 != 0
    let vectors: [[Float]?] = tools.enumerated().map { i, tool in
        PickerFuzzInput.vector(seed: tool.name + "\u{0}" + String(i), dimension: dimension, special: special)
    }
    let semantic = SemanticIndex(dimension: dimension, vectors: vectors)
    let queries: [[Float]] = texts.compactMap {
        PickerFuzzInput.vector(seed: $0, dimension: dimension, special: special)
    }
    let alone = semantic.rank(bestOf: queries, k: k)
    PickerFuzzInput.check(alone, k: k, count: tools.count, what: "semantic")
    var hybrid = HybridRanker(lexical: index, semantic: semantic)
    hybrid.depth = 1 + Int(routingFlags >> 4) * 4
    let fused = hybrid.rank(query: turn, vectors: queries, k: k)
    PickerFuzzInput.check(fused, k: k, count: tools.count, what: "hybrid")
    PickerFuzzInput.check(
        hybrid.rank(query: turn, vectors: queries, k: k, usage: usage), k: k, count: tools.count, what: "hybrid usage")
    guard hybrid.rank(query: turn, vectors: queries, k: k) == fused else { fatalError("hybrid ranking varies") }
    if queries.isEmpty || semantic.embedded == 0 {
        guard fused == ranked else { fatalError("hybrid without a usable vector differs from the lexical ranking") }
    }
    return 0
}

/// Turns fuzzer bytes into the picker's inputs.
enum PickerFuzzInput {
    /// Bytes the 0x01 repeats may add to one input, over all its fields.
    static let budget = 16 * 1024

    /// Lenient UTF-8 after expanding 0x01 n repeats, as far as `budget` lasts.
    static func text(_ bytes: [UInt8], budget: inout Int) -> String {
        var out: [UInt8] = []
        var runStart = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 1, i + 1 < bytes.count {
                let run = Array(out[runStart...])
                let times = (Int(bytes[i + 1]) + 1) * 64
                for _ in 0..<times where run.count <= budget {
                    out.append(contentsOf: run)
                    budget -= run.count
                }
                i += 2
                continue
            }
            if c == 32 { runStart = out.count + 1 }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The config-reachable branches of `ToolIndex.Routing`.
    static func routing(_ flags: UInt8) -> ToolIndex.Routing {
        var r = ToolIndex.Routing()
        if flags & 1 != 0 { r.routeUnmatched = 0.5 }
        r.sameNameLimit = Int(flags >> 1) % 4
        if flags & 8 != 0 {
            r.englishSpan = 0
            r.coordination = 0
            r.abbreviationWeight = 0
            r.hashChannelWeight = 0.8
            r.addressWeight = 0.2
            r.contextWindow = 3
            r.appBoost = 0
        }
        return r
    }

    /// A small vector from a string (FNV-1a), nil for one in eight; with `special`, zero, huge, NaN and ∞ too.
    static func vector(seed: String, dimension: Int, special: Bool) -> [Float]? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in seed.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        if h % 8 == 0 { return nil }
        if special {
            switch h % 7 {
            case 1: return [Float](repeating: 0, count: dimension)
            case 2: return [Float](repeating: .greatestFiniteMagnitude, count: dimension)
            case 3: return [.nan] + [Float](repeating: 1, count: dimension - 1)
            case 4: return [-.infinity] + [Float](repeating: 1, count: dimension - 1)
            case 5: return [Float](repeating: 1, count: dimension + 1)  // another model's dimension
            default: break
            }
        }
        return (0..<dimension).map { j in
            h = (h ^ UInt64(j + 1)) &* 0x100_0000_01b3
            return Float(Int64(h % 2001) - 1000) / 1000
        }
    }

    static func check(_ matches: [ToolIndex.Match], k: Int, count: Int, what: String) {
        guard matches.count <= k else { fatalError("\(what): \(matches.count) matches for k \(k)") }
        var seen = Set<Int>()
        for m in matches {
            guard (0..<count).contains(m.index) else { fatalError("\(what): index \(m.index) of \(count) tools") }
            guard seen.insert(m.index).inserted else { fatalError("\(what): tool \(m.index) ranked twice") }
            guard m.score.isFinite, m.score > 0 else { fatalError("\(what): score \(m.score)") }
        }
    }
}
