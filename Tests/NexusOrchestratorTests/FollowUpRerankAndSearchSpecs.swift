import NexusCore
import NexusModules
import NexusTesting
import Testing

@testable import NexusOrchestrator

extension ToolRerankSpecs {
    /// With the reranker on, the session's remembered tool is kept after the model's reorder, in the budget's last
    /// place: the reranker never sees it crowd its candidates, and it never pushes out the model's first pick.
    @Test func theRerankedPicksKeepTheToolTheLastTurnCalledInTheirLastPlace() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let mail = ["fastmail", "protonmail", "yahoo_mail", "zoho_mail"].map {
            ToolDefinition(name: "\($0)__send_email", description: "Send an email from your \($0) account.")
        }
        let tools =
            mail + [
                ToolDefinition(name: "gmail__send_email", description: "Send a message with Gmail."),
                ToolDefinition(name: "weather__get_forecast", description: "Get the weather forecast for a city."),
            ]
        server.enqueue(.text("gmail__send_email"))
        var node = ToolPickerNode(sources: [FixedTools(list: tools)], ranking: ToolRanking(), maxTools: 3)
        node.recent = RecentTools(turns: [["weather__get_forecast"]])
        node.reranker = try reranker(server)
        let picked = await node.run("send an email to the landlord").map(\.name)
        #expect(picked.first == "gmail__send_email", "\(picked)")
        #expect(picked.count == 4 && picked[2] == "weather__get_forecast", "\(picked)")
        #expect(picked.last == ToolSearchSource.definition.name)
    }
}

/// `search_tools` in a follow-up: of two chat apps' look-alike reply tools, the one of the app the conversation has
/// been using comes first, as in the picker.
@Test func searchToolsInAFollowUpFindsTheConversationsAppFirst() async {
    // Two chat apps with the same two tools: alone, the catalogue order decides.
    let tools = ["discord", "slack"].flatMap { app in
        [
            ToolDefinition(name: "\(app)__reply", description: "Reply to a message."),
            ToolDefinition(name: "\(app)__read_messages", description: "Read the recent messages of a channel."),
        ]
    }
    let call = ToolCall(id: "1", name: "search_tools", arguments: ["query": "reply to a message"])
    let alone = ToolSearchSource(sources: [FixedTools(list: tools)], ranking: ToolRanking())
    let found = ToolSearchSource.found(in: await alone.call(call, approval: AlwaysNo()))
    #expect(found.first == "discord__reply", "\(found)")
    var followUp = alone
    followUp.recent = RecentTools(transcript: [
        .user("what did ana say in #releases"),
        .toolResult(ToolResult(callID: "0", name: "slack__read_messages", content: "ana: shipped")),
        .user("reply that I'll look at it after lunch"),
    ])
    let inFollowUp = ToolSearchSource.found(in: await followUp.call(call, approval: AlwaysNo()))
    #expect(inFollowUp.first == "slack__reply", "\(inFollowUp)")
}

private struct AlwaysNo: ApprovalHandler {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision { .no }
}
