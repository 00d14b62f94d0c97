import NexusCore

/// The query side of `ToolIndex`: which index terms a turn stands for, and how much each counts.
extension ToolIndex {
    /// Query term ids with weights: typed words 1 (context before the last `contextWindow` terms less), a
    /// known word one edit from an unknown typed one `typoWeight` (or that it abbreviates, `abbreviationWeight`),
    /// two typed words the index knows as one (an app's whole name) 1, what token shapes imply `shapeWeight`,
    /// synonym expansions `expansionWeight`.
    func queryTerms(_ query: String) -> [(id: Int32, weight: Float, group: Int)] {
        var memo = TypoMatcher.Memo(typos, abbreviations: routing.abbreviationWeight > 0)
        return queryTerms(query, typos: &memo)
    }

    /// `queryTerms`, each unknown word looked up once through `memo` (one turn's).
    func queryTerms(_ query: String, typos memo: inout TypoMatcher.Memo) -> [(id: Int32, weight: Float, group: Int)] {
        var weights: [Int32: (Float, Int)] = [:]
        var group = -1
        func put(_ id: Int32, _ w: Float) {
            if (weights[id]?.0 ?? 0) < w { weights[id] = (w, group) }
        }
        let reading = TurnShapes.read(query, isAppName: { appNames.contains($0) })
        let typed = ToolTokenizer.terms(reading.text, keepingWhole: brands)
        let contextEnd = typed.count - routing.contextWindow
        func position(_ i: Int) -> Float { i < contextEnd ? routing.contextWeight : 1 }
        var groupOf: [String: Int] = [:]
        for term in typed where groupOf[term] == nil { groupOf[term] = groupOf.count }
        for (i, term) in typed.enumerated() {
            group = groupOf[term] ?? -1
            if let id = termIDs[term] {
                put(id, position(i))
            } else {
                let near = memo.matches(term) { postings[Int($0)].count }
                for id in near.typos { put(id, position(i) * routing.typoWeight) }
                for id in near.abbreviated { put(id, position(i) * routing.abbreviationWeight) }
            }
        }
        // Two words the index knows as one ("last fm", "pay pal", "in box") also count as that one word.
        let words = ToolTokenizer.words(reading.text)
        let wordsContextEnd = words.count - routing.contextWindow
        for i in words.indices.dropLast() where words[i].utf8.count + words[i + 1].utf8.count <= 24 {
            ToolTokenizer.term(Array((words[i] + words[i + 1]).utf8)) { joined in
                guard let id = termIDs[joined] else { return }
                group = groupOf[ToolTokenizer.terms(words[i]).first ?? ""] ?? -1
                put(id, i < wordsContextEnd ? routing.contextWeight : 1)
            }
        }
        // What the shape of a token names: a channel ("#name", whatever the app), an email address, a URL, a file,
        // a directory (`TurnShapes`). Each is a word of the turn of its own (for `coordination`), as if typed.
        let shapeWeight = routing.shapeWeight > 0 ? routing.shapeWeight : expansionWeight
        for (k, term) in reading.implied.enumerated() {
            group = groupOf.count + k
            let w = term == "channel" && routing.hashChannelWeight > 0 ? routing.hashChannelWeight : shapeWeight
            ToolTokenizer.forEachTerm(term) { if let id = termIDs[$0] { put(id, w) } }
        }
        group = -1
        if routing.addressWeight > 0 {
            for address in reading.addresses {
                ToolTokenizer.forEachTerm(address) { if let id = termIDs[$0] { put(id, routing.addressWeight) } }
            }
        }
        for (i, term) in typed.enumerated() {
            group = groupOf[term] ?? -1
            for alt in synonyms.expansions[term] ?? [] {
                if let id = termIDs[alt] { put(id, position(i) * expansionWeight) }
            }
        }
        return weights.map { (id: $0.key, weight: $0.value.0, group: $0.value.1) }.sorted { $0.id < $1.id }
    }
}
