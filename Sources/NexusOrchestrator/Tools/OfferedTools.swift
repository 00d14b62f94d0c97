import NexusCore
import NexusModules
import Synchronization

/// One version of the tools a session offers: every source's list, each tool cut to its budget
/// (`ToolBudget.trimmed`), and a number (`ToolsGeneration`) no other list in the process has. The picker keys
/// its caches on that number (its lexical index, the semantic index, the usage prior), so a turn over a list it
/// has seen does no work per tool: no text hashed, no description cut again, no list rebuilt.
struct OfferedTools: Sendable {
    let tools: [ToolDefinition]
    let version: Int
    /// The built-in tools (no namespace), in order: kept in the picks when there is room.
    let builtins: [ToolDefinition]
    /// Each name's first position in `tools`.
    private let positions: [String: Int]

    init(_ tools: [ToolDefinition], version: Int) {
        self.tools = tools
        self.version = version
        builtins = tools.filter { !$0.name.contains(ToolNamespace.separator) }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(tools.count)
        for (i, t) in tools.enumerated() where positions[t.name] == nil { positions[t.name] = i }
        self.positions = positions
    }

    /// The offered tool of that name, if any.
    func named(_ name: String) -> ToolDefinition? { positions[name].map { tools[$0] } }
}

/// The last `OfferedTools` of a session, reused while every source says its list has not changed: a source's
/// version (`ToolSource.versionedTools`), or for a source without one, its whole list compared with the last byte for
/// byte (`ToolBytes`; an array handed back unchanged compares in constant time). A change of anything — a name, a description, one
/// parameter of one tool — makes a new version, so nothing the picker built from the old list is used again.
final class OfferedToolsCache: Sendable {
    private struct Entry {
        var versions: [Int?]
        /// The lists of the sources without a version, in order.
        var unversioned: [[ToolDefinition]]
        var offered: OfferedTools
    }
    private let last = Mutex<Entry?>(nil)
    /// The last plain list given to `offered(_:)` (tests, benchmarks), kept apart from the sources'.
    private let lastPlain = Mutex<OfferedTools?>(nil)

    /// Every tool the sources offer, cut to the per-tool budget; the same value (and version) as the last call while
    /// nothing changed.
    func offered(by sources: [any ToolSource]) async -> OfferedTools {
        var lists: [VersionedTools] = []
        lists.reserveCapacity(sources.count)
        for s in sources { lists.append(await s.versionedTools()) }
        let versions = lists.map(\.version)
        let unversioned = lists.filter { $0.version == nil }.map(\.tools)
        let hit = last.withLock { e -> OfferedTools? in
            guard let e, e.versions == versions, e.unversioned.count == unversioned.count,
                zip(e.unversioned, unversioned).allSatisfy(ToolBytes.same)
            else { return nil }
            return e.offered
        }
        if let hit { return hit }
        let tools = lists.flatMap(\.tools).map(ToolBudget.trimmed)
        // A new version of the same tools (a module reloaded, the catalogue rebuilt): the old list and its version
        // stay, so nothing keyed on it (the index: 250 ms at 9,000 tools; the semantic index) is built again.
        let previous = last.withLock { $0?.offered }
        let offered: OfferedTools
        if let previous, ToolBytes.same(previous.tools, tools) {
            offered = previous
        } else {
            offered = OfferedTools(tools, version: ToolsGeneration.next())
        }
        last.withLock { $0 = Entry(versions: versions, unversioned: unversioned, offered: offered) }
        return offered
    }

    /// `tools` as given (not cut), with the last version when it is the same list.
    func offered(_ tools: [ToolDefinition]) -> OfferedTools {
        lastPlain.withLock { c in
            if let c, ToolBytes.same(c.tools, tools) { return c }
            let made = OfferedTools(tools, version: ToolsGeneration.next())
            c = made
            return made
        }
    }
}
