import NexusCore
import NexusModules
import Synchronization

/// Chooses which tool schemas to send when there are more than a turn's budget, with the module
/// tool picker's BM25F index. The index is rebuilt only when the set of tool names changes, so a
/// turn over 10,000 tools costs a lookup, not an index build.
final class ToolRanking: Sendable {
    private struct Cached {
        var signature: Int
        var index: ToolIndex
        var tools: [ToolDefinition]
    }
    private let cache = Mutex<Cached?>(nil)

    func top(_ tools: [ToolDefinition], for query: String, k: Int) -> [ToolDefinition] {
        var hasher = Hasher()
        hasher.combine(tools.count)
        for t in tools { hasher.combine(t.name) }
        let signature = hasher.finalize()
        let index: ToolIndex = cache.withLock { c in
            if let c, c.signature == signature { return c.index }
            let built = ToolIndex(tools)
            c = Cached(signature: signature, index: built, tools: tools)
            return built
        }
        let picked = index.pick(query: query, k: k)
        // Built-in tools (no namespace) are cheap and always useful: keep them when there is room.
        var out = picked
        for t in tools where !t.name.contains(ToolNamespace.separator) && !out.contains(where: { $0.name == t.name }) {
            if out.count < k + 2 { out.append(t) }
        }
        return out
    }
}
