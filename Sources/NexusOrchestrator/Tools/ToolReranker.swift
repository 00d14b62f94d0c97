import NexusCore

/// Lets the classification model reorder the picker's top candidates (`[modules] rerank_tools`): the lexical
/// and semantic picker cannot tell "email the landlord" from the eight mail apps' send tools by words alone,
/// while a model that reads the turn and twenty one-line descriptions often can.
///
/// The model's reply is hostile input like any other: only names from the candidate list count, each once, the
/// reply is read up to `replyLimit` bytes, and anything it leaves out keeps the picker's order after the ones
/// it named. A failure, an empty or useless reply, or a reply later than `timeoutMs` keeps the picker's order
/// untouched, so reranking can only cost time, bounded, never a turn.
public struct ToolReranker: Sendable {
    let gateway: any ModelGateway
    let chain: [ModelRef]
    let context: CallContext
    /// How long the turn waits for the model's order.
    var timeoutMs = 3_000
    /// How many candidates the model sees.
    public static let candidates = 20
    /// How many names the model is asked for, best first: they decide the top of the list, and on a CPU each
    /// token of the reply costs as much as tens of prompt tokens. The candidates it leaves out keep their order.
    public static let asked = 5
    /// Reply tokens allowed per name asked for (a long tool name with its list marker is about 16).
    static let tokensPerName = 20
    /// Bytes of the reply that are read.
    static let replyLimit = 8_192
    /// Characters of a description shown per candidate (its first line, cut).
    static let descriptionCharacters = 160

    /// What a rerank did: the order to use, and what it cost (for the pipeline pane and the benchmark).
    public struct Outcome: Sendable {
        public var tools: [ToolDefinition]
        /// False when the picker's order was kept (failure, timeout, or no known name in the reply).
        public var reordered: Bool
        /// True when the model had not answered within `timeoutMs`.
        public var timedOut = false
        public var tokensIn = 0
        public var tokensOut = 0
        public var note: String?
        /// The start of the model's reply, for the benchmark's diagnostics.
        public var reply = ""
    }

    public init(gateway: any ModelGateway, chain: [ModelRef], context: CallContext, timeoutMs: Int = 3_000) {
        self.gateway = gateway
        self.chain = chain
        self.context = context
        self.timeoutMs = timeoutMs
    }

    /// `ranked` reordered by the model (only its first `candidates` are shown to it; the rest keep their place).
    public func rerank(_ ranked: [ToolDefinition], turn: String) async -> Outcome {
        let shown = Array(ranked.prefix(Self.candidates))
        guard shown.count > 1, let model = chain.first else { return Outcome(tools: ranked, reordered: false) }
        let request = LLMRequest(
            model: model.model, messages: [.user(Self.prompt(turn: turn, tools: shown))],
            maxTokens: Self.tokensPerName * min(Self.asked, shown.count), temperature: 0)
        let gateway = self.gateway
        let chain = self.chain
        let context = self.context
        let reply: Result<ModelReply, NexusError>? = await Deadline.race(milliseconds: timeoutMs, late: { nil }) {
            do {
                return .success(try await gateway.complete(chain: chain, request: request, context: context) { _ in })
            } catch {
                let what = (error as? any UserFacingError)?.userMessage ?? "\(error)"
                return .failure(NexusError("tool rerank: \(what)"))
            }
        }
        guard let reply else {
            return Outcome(
                tools: ranked, reordered: false, timedOut: true, note: "tool rerank: no answer in \(timeoutMs) ms")
        }
        switch reply {
        case .failure(let error):
            return Outcome(tools: ranked, reordered: false, note: error.userMessage)
        case .success(let r):
            let order = Self.order(reply: r.text, among: shown.map(\.name))
            let said = String(r.text.prefix(400))
            guard !order.isEmpty else {
                return Outcome(
                    tools: ranked, reordered: false, tokensIn: r.tokensIn, tokensOut: r.tokensOut,
                    note: "tool rerank: the reply named no candidate", reply: said)
            }
            let named = order.map { shown[$0] }
            let rest = ranked.enumerated().filter { !order.contains($0.offset) }.map(\.element)
            return Outcome(
                tools: named + rest, reordered: true, tokensIn: r.tokensIn, tokensOut: r.tokensOut, reply: said)
        }
    }

    /// The turn, then one line per candidate: `name: first line of the description`.
    public static func prompt(turn: String, tools: [ToolDefinition]) -> String {
        let n = min(asked, tools.count)
        var lines = [
            "Which of these tools does the user's request need? Reply with the names of the \(n) most likely,",
            "best first, one per line, and nothing else.", "",
            "Request: \(String(ToolRanking.focus(turn).suffix(1_000)))", "", "Tools:",
        ]
        for t in tools {
            let line = t.description.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            lines.append("- \(t.name): \(line.prefix(descriptionCharacters))")
        }
        return lines.joined(separator: "\n")
    }

    /// Indices into `names` in the order the reply names them: each known name once, unknown words ignored.
    /// A name is a maximal run of name characters (letters, digits, `_`, `-`, `.`, `/`), so "1. `gmail__send`,"
    /// reads as `gmail__send`, and a reply of unknown names or prose gives an empty order. A word that is no
    /// candidate's exact name still names one when it spells it with other separators or case (`Gmail_Send` for
    /// `gmail__send`, as small models copy names) and no other candidate is spelt so: the word can only ever
    /// pick among the candidates, never add one.
    static func order(reply: String, among names: [String]) -> [Int] {
        var position: [Substring: Int] = [:]
        var loose: [String: Int?] = [:]
        for (i, n) in names.enumerated() where position[Substring(n)] == nil {
            position[Substring(n)] = i
            let k = looseKey(Substring(n))
            loose[k] = loose[k] == nil ? i : .some(nil)
        }
        var out: [Int] = []
        var seen = Set<Int>()
        let text = String(decoding: reply.utf8.prefix(replyLimit), as: UTF8.self)
        var start: String.Index?
        func flush(_ end: String.Index) {
            guard let s = start else { return }
            start = nil
            var word = text[s..<end]
            while let last = word.last, last == "." || last == "-" || last == "/" { word = word.dropLast() }
            guard let i = position[word] ?? loose[looseKey(word)] ?? nil else { return }
            if seen.insert(i).inserted { out.append(i) }
        }
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let isName = c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." || c == "/"
            if isName {
                if start == nil { start = i }
            } else {
                flush(i)
            }
            i = text.index(after: i)
        }
        flush(text.endIndex)
        return out
    }

    /// A name without its separators and case: `Gmail_Send-Email` and `gmail__send_email` are one key.
    static func looseKey(_ name: Substring) -> String {
        String(name.lowercased().filter { $0 != "_" && $0 != "-" && $0 != "." && $0 != "/" })
    }
}
