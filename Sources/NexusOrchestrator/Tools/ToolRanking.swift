import NexusCore
import NexusModules
import Synchronization

/// Chooses which tool schemas to send when there are more than a turn's budget: the module tool picker's
/// lexical index, fused with the semantic ranking when `[embeddings]` is configured and ready. The index is
/// rebuilt only when the set of tool names changes, so a turn over 10,000 tools costs a lookup, not a build.
final class ToolRanking: Sendable {
    private struct Cached {
        var signature: Int
        var index: ToolIndex
    }
    private let cache = Mutex<Cached?>(nil)
    let semantic: SemanticToolRanking?

    init(semantic: SemanticToolRanking? = nil) {
        self.semantic = semantic
    }

    /// The picks of one turn, and a notice when the semantic half had to be left out (once a session).
    struct Picked: Sendable {
        var tools: [ToolDefinition]
        var notice: String?
        var mode: String
    }

    /// The `k` most relevant tools, built-ins kept when there is room; hybrid when it can be, else lexical.
    func pick(_ tools: [ToolDefinition], for query: String, k: Int, privacy: PrivacyMode = .open) async -> Picked {
        let query = Self.focus(query)
        let (index, signature) = lexical(tools)
        var notice: String?
        var mode = "lexical"
        var ranked: [ToolIndex.Match]
        if let semantic {
            if let ready = semantic.index(for: tools, signature: signature) {
                switch await semantic.queryVectors(query, privacy: privacy) {
                case .success(let vectors):
                    ranked = HybridRanker(lexical: index, semantic: ready).rank(query: query, vectors: vectors, k: k)
                    mode = "hybrid"
                case .failure(let error):
                    ranked = index.rank(query: query, k: k)
                    notice = semantic.noticeOnce(error.userMessage)
                }
            } else {
                // Tool vectors still being computed (or failed): no query embedding to wait for.
                ranked = index.rank(query: query, k: k)
                if case .lexical(let reason) = semantic.mode {
                    notice = semantic.noticeOnce(reason)
                } else {
                    mode = "lexical (tool embeddings not ready)"
                }
            }
            if notice == nil { notice = semantic.takeNote() }
        } else {
            ranked = index.rank(query: query, k: k)
        }
        return Picked(
            tools: withBuiltins(ranked.map { tools[$0.index] }, from: tools, k: k), notice: notice, mode: mode)
    }

    /// What the picker reads of a turn: its last `maxQueryCharacters` (people put the intent at the end). A pasted
    /// megabyte is neither tokenized whole nor sent to the embedding server.
    static func focus(_ query: String) -> String {
        query.utf8.count <= maxQueryCharacters ? query : String(query.suffix(maxQueryCharacters))
    }
    static let maxQueryCharacters = 4000

    /// The lexical top `k` (no network): what `search_tools` and tests use.
    func top(_ tools: [ToolDefinition], for query: String, k: Int) -> [ToolDefinition] {
        withBuiltins(lexical(tools).0.pick(query: Self.focus(query), k: k), from: tools, k: k)
    }

    /// Only the ranked tools, no built-ins added: `search_tools`' answer.
    func search(_ tools: [ToolDefinition], for query: String, k: Int) -> [ToolDefinition] {
        lexical(tools).0.pick(query: Self.focus(query), k: k)
    }

    func lexical(_ tools: [ToolDefinition]) -> (ToolIndex, Int) {
        var hasher = Hasher()
        hasher.combine(tools.count)
        for t in tools {
            hasher.combine(t.name)
            hasher.combine(t.description)
        }
        let signature = hasher.finalize()
        let index: ToolIndex = cache.withLock { c in
            if let c, c.signature == signature { return c.index }
            let built = ToolIndex(tools)
            c = Cached(signature: signature, index: built)
            return built
        }
        return (index, signature)
    }

    /// Built-in tools (no namespace) are cheap and always useful: kept when there is room.
    func withBuiltins(_ picked: [ToolDefinition], from tools: [ToolDefinition], k: Int) -> [ToolDefinition] {
        var out = picked
        for t in tools where !t.name.contains(ToolNamespace.separator) && !out.contains(where: { $0.name == t.name }) {
            if out.count < k + 2 { out.append(t) }
        }
        return out
    }
}
