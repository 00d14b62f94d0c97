import NexusCore
import NexusModules
import Synchronization

/// Chooses which tool schemas to send when there are more than a turn's budget: the module tool picker's
/// lexical index, fused with the semantic ranking when `[embeddings]` is configured and ready. The index is
/// rebuilt only when the offered list's version changes (`OfferedTools`: any name, description or parameter of any
/// tool), so a turn over 10,000 tools costs a lookup, not a build, and no pass over the tools' text.
/// With `usage` (`[modules] usage_prior`), the apps the person has called successfully rank above look-alike
/// apps they never used (`AppUsagePrior`); the prior is rebuilt only when the tools or the counts change.
/// With the session's `RecentTools`, a follow-up turn keeps the tools the last turns called (a third of the budget at
/// most) and, with the usage prior on, the apps the conversation is using lead among look-alikes.
final class ToolRanking: Sendable {
    private struct Cached {
        var version: Int
        var index: ToolIndex
    }
    private struct CachedPrior {
        var signature: Int
        var version: Int
        var prior: AppUsagePrior
    }
    private let cache = Mutex<Cached?>(nil)
    private let priorCache = Mutex<CachedPrior?>(nil)
    /// The session's offered list, rebuilt only when a source's tools change: the picker and `search_tools` share it.
    let offeredCache = OfferedToolsCache()
    let semantic: SemanticToolRanking?
    let usage: ModuleUsage?
    let usageSettings: AppUsagePrior.Settings
    /// Whether the apps the session's last turns called weigh in the ranking (off with `[modules] usage_prior`).
    let sessionApps: Bool

    init(
        semantic: SemanticToolRanking? = nil, usage: ModuleUsage? = nil,
        usageSettings: AppUsagePrior.Settings = AppUsagePrior.Settings(), sessionApps: Bool = true
    ) {
        self.semantic = semantic
        self.usage = usage
        self.usageSettings = usageSettings
        self.sessionApps = sessionApps
    }

    /// The usage prior for `index` as of now; nil without usage or history (the ranking is then unchanged).
    func prior(for index: ToolIndex, signature: Int) -> AppUsagePrior? {
        guard let usage else { return nil }
        let now = usage.current()
        guard !now.visits.isEmpty else { return nil }
        return priorCache.withLock { c in
            if let c, c.signature == signature, c.version == now.version { return c.prior }
            let built = AppUsagePrior(visits: now.visits, index: index, settings: usageSettings)
            c = CachedPrior(signature: signature, version: now.version, prior: built)
            return built
        }
    }

    /// `prior(for:signature:)` with the session's recent apps (none when the usage prior is off).
    func prior(for index: ToolIndex, signature: Int, recent: RecentTools) -> AppUsagePrior? {
        let base = prior(for: index, signature: signature)
        guard sessionApps, !recent.isEmpty else { return base }
        return (base ?? AppUsagePrior(visits: [:], index: index, settings: usageSettings)).withSession(
            recent, index: index)
    }

    /// The picks of one turn, and a notice when the semantic half had to be left out (once a session).
    struct Picked: Sendable {
        var tools: [ToolDefinition]
        var notice: String?
        var mode: String
    }

    /// The `k` most relevant tools, built-ins kept when there is room; hybrid when it can be, else lexical. `recent`
    /// (the session's last turns) keeps their tools in the picks (`RecentTools.keep`) unless `carry` is false (the
    /// reranker's deeper list carries them after its reorder instead).
    func pick(
        _ offered: OfferedTools, for query: String, k: Int, privacy: PrivacyMode = .open,
        recent: RecentTools = .none, carry: Bool = true
    ) async -> Picked {
        let query = Self.focus(query)
        let tools = offered.tools
        let index = lexical(offered)
        let signature = offered.version
        await self.usage?.firstRead()
        let usage = prior(for: index, signature: signature, recent: recent)
        var notice: String?
        var mode = "lexical"
        var ranked: [ToolIndex.Match]
        if let semantic {
            if let ready = semantic.index(for: tools, signature: signature) {
                switch await semantic.queryVectors(query, privacy: privacy) {
                case .success(let vectors):
                    ranked = HybridRanker(lexical: index, semantic: ready).rank(
                        query: query, vectors: vectors, k: k, usage: usage)
                    mode = "hybrid"
                case .failure(let error):
                    ranked = index.rank(query: query, k: k, usage: usage)
                    notice = semantic.noticeOnce(error.userMessage)
                }
            } else {
                // Tool vectors still being computed (or failed): no query embedding to wait for.
                ranked = index.rank(query: query, k: k, usage: usage)
                if case .lexical(let reason) = semantic.mode {
                    notice = semantic.noticeOnce(reason)
                } else {
                    mode = "lexical (tool embeddings not ready)"
                }
            }
            if notice == nil { notice = semantic.takeNote() }
        } else {
            ranked = index.rank(query: query, k: k, usage: usage)
        }
        var picked = ranked.map { tools[$0.index] }
        if carry { picked = Self.keep(recent, in: picked, from: offered, k: k) }
        return Picked(tools: withBuiltins(picked, from: offered, k: k), notice: notice, mode: mode)
    }

    /// `pick` over a plain list (tests, benchmarks): its version is kept while the same list is given again.
    func pick(
        _ tools: [ToolDefinition], for query: String, k: Int, privacy: PrivacyMode = .open,
        recent: RecentTools = .none, carry: Bool = true
    ) async -> Picked {
        await pick(offeredCache.offered(tools), for: query, k: k, privacy: privacy, recent: recent, carry: carry)
    }

    /// The offered list of `sources` (`OfferedToolsCache`), the same value while no source's tools changed.
    func offered(by sources: [any ToolSource]) async -> OfferedTools { await offeredCache.offered(by: sources) }

    /// `picked` cut to `k` with the session's remembered tools that are still offered (`RecentTools.keep`).
    static func keep(_ recent: RecentTools, in picked: [ToolDefinition], from offered: OfferedTools, k: Int)
        -> [ToolDefinition]
    {
        guard !recent.isEmpty else { return Array(picked.prefix(k)) }
        return recent.keep(picked, k: k, name: \.name) { name in offered.named(name) }
    }

    /// What the picker reads of a turn: its last `maxQueryCharacters` (people put the intent at the end). A pasted
    /// megabyte is neither tokenized whole nor sent to the embedding server.
    static func focus(_ query: String) -> String {
        // Code points, not characters: one "character" can be a letter and a megabyte of combining marks.
        query.utf8.count <= maxQueryCharacters
            ? query : String(String.UnicodeScalarView(query.unicodeScalars.suffix(maxQueryCharacters)))
    }
    static let maxQueryCharacters = 4000

    /// The lexical top `k` (no network): what `search_tools` and tests use.
    func top(_ tools: [ToolDefinition], for query: String, k: Int) -> [ToolDefinition] {
        let offered = offeredCache.offered(tools)
        return withBuiltins(search(offered, for: query, k: k), from: offered, k: k)
    }

    /// Only the ranked tools, no built-ins added: `search_tools`' answer (the usage prior applies to it too, with the
    /// session's recent apps; nothing is carried: the model's words decide what it finds).
    func search(_ offered: OfferedTools, for query: String, k: Int, recent: RecentTools = .none) -> [ToolDefinition] {
        let index = lexical(offered)
        return index.rank(
            query: Self.focus(query), k: k, usage: prior(for: index, signature: offered.version, recent: recent)
        )
        .map { index.tools[$0.index] }
    }

    /// The lexical index of `offered`, built once per version of the list.
    func lexical(_ offered: OfferedTools) -> ToolIndex {
        cache.withLock { c in
            if let c, c.version == offered.version { return c.index }
            let built = ToolIndex(offered.tools)
            c = Cached(version: offered.version, index: built)
            return built
        }
    }

    /// `lexical` of a plain list and the version its caches are keyed on (tests).
    func lexical(_ tools: [ToolDefinition]) -> (ToolIndex, Int) {
        let offered = offeredCache.offered(tools)
        return (lexical(offered), offered.version)
    }

    /// Built-in tools (no namespace) are cheap and always useful: kept when there is room.
    func withBuiltins(_ picked: [ToolDefinition], from offered: OfferedTools, k: Int) -> [ToolDefinition] {
        var out = picked
        for t in offered.builtins where out.count < k + 2 && !out.contains(where: { $0.name == t.name }) {
            out.append(t)
        }
        return out
    }
}
