import NexusCore
import NexusModules
import Synchronization
import Testing

@testable import NexusOrchestrator

/// A module whose tools/list changes while the session runs (a `tools/list_changed` re-list): with a version when
/// `versioned`, else the kind of source that cannot say (compared whole each turn).
private final class ChangingTools: ToolSource {
    private let state: Mutex<(version: Int, list: [ToolDefinition])>
    let versioned: Bool

    init(_ list: [ToolDefinition], versioned: Bool) {
        state = Mutex((ToolsGeneration.next(), list))
        self.versioned = versioned
    }

    func replace(_ list: [ToolDefinition], bumpVersion: Bool = true) {
        state.withLock { s in
            s.list = list
            if bumpVersion { s.version = ToolsGeneration.next() }
        }
    }

    func tools() async -> [ToolDefinition] { state.withLock { $0.list } }
    func versionedTools() async -> VersionedTools {
        state.withLock { s in VersionedTools(version: versioned ? s.version : nil, tools: s.list) }
    }
    func owns(_ toolName: String) async -> Bool { false }
    func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
        ToolResult(callID: call.id, name: call.name, content: "unused", isError: true)
    }
}

private struct NeverApprove: ApprovalHandler {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision { .no }
}

/// Thirty tools none of whose names or descriptions say "invoice".
private func catalogue(invoiceParameter: Bool) -> [ToolDefinition] {
    var tools = (0..<30).map { i in
        ToolDefinition(name: "app\(i)__action_\(i)", description: "Performs action number \(i) on the records.")
    }
    var properties = JSONObject([("note", ["type": "string", "description": "A free note"])])
    if invoiceParameter {
        properties["invoice_number"] = ["type": "string", "description": "The invoice to send to the customer"]
    }
    tools.append(
        ToolDefinition(
            name: "ledger__record", description: "Records an entry.",
            inputSchema: ["type": "object", "properties": .object(properties)]))
    return tools
}

@Suite struct OfferedToolsSpecs {
    /// Found in session 9: the picker's index was keyed on a hash of the names and descriptions, so a module whose
    /// re-listed tools changed only a parameter (which the index reads) kept a stale index for the whole session.
    @Test func aToolWhoseSchemaAloneChangesIsSeenByThePicker() async {
        let source = ChangingTools(catalogue(invoiceParameter: false), versioned: false)
        let node = ToolPickerNode(sources: [source], ranking: ToolRanking(), maxTools: 3)
        let before = await node.run("send the invoice number").map(\.name)
        #expect(!before.contains("ledger__record"))
        source.replace(catalogue(invoiceParameter: true))
        let after = await node.run("send the invoice number").map(\.name)
        #expect(after.first == "ledger__record", "\(after)")
    }

    /// The same through a source that keeps a version (the module host's): the new version rebuilds the index.
    @Test func aNewVersionOfASourceRebuildsTheIndexAndSearchToolsSeesItToo() async {
        let source = ChangingTools(catalogue(invoiceParameter: false), versioned: true)
        let ranking = ToolRanking()
        let node = ToolPickerNode(sources: [source], ranking: ranking, maxTools: 3)
        _ = await node.run("send the invoice number")
        source.replace(catalogue(invoiceParameter: true))
        #expect(await node.run("send the invoice number").first?.name == "ledger__record")
        let search = ToolSearchSource(sources: [source], ranking: ranking)
        let found = await search.call(
            ToolCall(id: "1", name: "search_tools", arguments: ["query": "invoice number"]), approval: NeverApprove())
        #expect(ToolSearchSource.found(in: found).first == "ledger__record", "\(found.content)")
    }

    /// While no source's version changes, a turn reuses the offered list and its index: the same version, no pass
    /// over the tools. The picker and `search_tools` share that one list.
    @Test func whileNoVersionChangesEveryTurnGetsTheSameOfferedList() async {
        let source = ChangingTools(catalogue(invoiceParameter: true), versioned: true)
        let ranking = ToolRanking()
        let first = await ranking.offered(by: [BuiltinTools(), source])
        let second = await ranking.offered(by: [BuiltinTools(), source])
        #expect(first.version == second.version)
        #expect(first.builtins.map(\.name) == ["time_now", "calc"])
        #expect(first.named("ledger__record")?.description == "Records an entry.")
        // A version that does not move hides a change: the contract a versioned source keeps.
        source.replace(catalogue(invoiceParameter: false), bumpVersion: false)
        #expect(await ranking.offered(by: [BuiltinTools(), source]).version == first.version)
        source.replace(catalogue(invoiceParameter: false))
        let third = await ranking.offered(by: [BuiltinTools(), source])
        #expect(third.version != first.version)
        #expect(third.named("ledger__record")?.inputSchema["properties"]?["invoice_number"] == nil)
    }

    /// A source without a version is compared whole: a change of one description is a new list.
    @Test func aSourceWithoutAVersionIsComparedWhole() async {
        var tools = catalogue(invoiceParameter: false)
        let source = ChangingTools(tools, versioned: false)
        let ranking = ToolRanking()
        let first = await ranking.offered(by: [source])
        #expect(await ranking.offered(by: [source]).version == first.version)
        tools[3].description += " Also archives them."
        source.replace(tools)
        #expect(await ranking.offered(by: [source]).version != first.version)
    }

    /// A source without a version that builds its list anew each turn, one description of which is a letter and
    /// 200,000 combining marks (what hashing the text every turn took seconds over): the same bytes again are the same
    /// list, found quickly, and keep the version (no rebuild).
    @Test func aNewListWithOneHugeCharacterIsComparedQuickly() async {
        var tools = catalogue(invoiceParameter: false)
        tools[0].description = "a" + String(repeating: "\u{301}\u{316}", count: 100_000)
        let source = ChangingTools(tools, versioned: false)
        let ranking = ToolRanking()
        let first = await ranking.offered(by: [source])
        let clock = ContinuousClock()
        let start = clock.now
        // The same text in new storage, as a source that reads its list again would have it.
        source.replace(
            tools.map { t in
                var copy = t
                copy.description = String(decoding: Array(t.description.utf8), as: UTF8.self)
                return copy
            })
        #expect(await ranking.offered(by: [source]).version == first.version)
        #expect(clock.now - start < .seconds(1))
    }

    /// A source's new version whose tools are byte for byte the same (a module reloaded, the catalogue rebuilt) keeps
    /// the list's version: the index (250 ms at 9,000 tools) and the semantic index are not built again.
    @Test func aNewVersionOfTheSameToolsKeepsTheOfferedVersion() async {
        let source = ChangingTools(catalogue(invoiceParameter: true), versioned: true)
        let ranking = ToolRanking()
        let first = await ranking.offered(by: [source])
        source.replace(catalogue(invoiceParameter: true))
        #expect(await ranking.offered(by: [source]).version == first.version)
        source.replace(catalogue(invoiceParameter: false))
        #expect(await ranking.offered(by: [source]).version != first.version)
    }
}
