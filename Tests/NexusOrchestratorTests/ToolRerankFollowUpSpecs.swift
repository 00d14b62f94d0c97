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
