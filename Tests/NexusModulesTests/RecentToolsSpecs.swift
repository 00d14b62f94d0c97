import NexusCore
import Testing

@testable import NexusModules

/// The picker's memory from one turn to the next: the tools the session's last turns called stay offered (a third of
/// the budget at most), and their apps lead look-alikes in the ranking, unless the turn names another app.
@Suite struct RecentToolsSpecs {
    /// Two chat apps and a mail app with reply tools, the chat look-alike first in catalogue order.
    static let tools = [
        ("discord__reply_to_message", "Reply to a message in a Discord channel."),
        ("discord__add_reaction", "Add an emoji reaction to a Discord message."),
        ("outlook__reply_to_mail", "Reply to an email message in Outlook."),
        ("gmail__reply_to_email", "Reply to an email in Gmail."),
        ("gmail__search_emails", "Search emails in Gmail."),
        ("slack__get_channel_history", "Read the recent messages of a Slack channel."),
        ("slack__reply_to_thread", "Reply to a message in a Slack thread."),
        ("slack__add_reaction", "Add an emoji reaction to a Slack message."),
        ("weather__get_forecast", "Get the weather forecast for a place."),
    ].map { ToolDefinition(name: $0.0, description: $0.1) }
    static let index = ToolIndex(tools)

    /// The turn ranked with the session's memory as `ToolRanking.pick` ranks it: session prior, then `keep`.
    static func pick(_ query: String, after turns: [[String]], k: Int = 3) -> [String] {
        let recent = RecentTools(turns: turns)
        let prior = AppUsagePrior(visits: [:], index: index, settings: AppUsagePrior.Settings())
            .withSession(recent, index: index)
        let ranked = index.rank(query: query, k: k, usage: prior).map { tools[$0.index] }
        return recent.keep(ranked, k: k, name: \.name) { name in tools.first { $0.name == name } }.map(\.name)
    }

    @Test func aFollowUpKeepsTheToolsTheLastTurnCalled() {
        let alone = Self.pick("what is the forecast", after: [])
        #expect(!alone.contains("slack__get_channel_history"))
        let picked = Self.pick("what is the forecast", after: [["slack__get_channel_history"]])
        #expect(picked.first == "weather__get_forecast", "the turn's own pick leads: \(picked)")
        #expect(picked.contains("slack__get_channel_history"), "\(picked)")
    }

    @Test func aFollowUpThatNamesNoAppGoesToTheConversationsAppAmongLookAlikes() {
        let alone = Self.pick("reply that I'll look at it after lunch", after: [], k: 1)
        #expect(alone != ["slack__reply_to_thread"], "without memory a look-alike leads: \(alone)")
        let picked = Self.pick("reply that I'll look at it after lunch", after: [["slack__get_channel_history"]], k: 1)
        #expect(picked == ["slack__reply_to_thread"], "\(picked)")
    }

    @Test func anAppTheFollowUpNamesWinsOverTheConversationsApp() {
        let picked = Self.pick(
            "now reply in gmail", after: [["slack__get_channel_history"], ["slack__reply_to_thread"]], k: 1)
        #expect(picked == ["gmail__reply_to_email"], "\(picked)")
    }

    @Test func toolsUnusedForSeveralTurnsAreForgotten() {
        let called = [["slack__add_reaction"]]
        let quiet = [[String]](repeating: [], count: RecentTools.horizon)
        #expect(RecentTools(turns: called + quiet.dropLast()).uses.map(\.tool) == ["slack__add_reaction"])
        #expect(RecentTools(turns: called + quiet).isEmpty)
        #expect(RecentTools(turns: called + quiet).apps.isEmpty)
        let old = RecentTools(turns: called + quiet.dropLast())
        #expect(old.apps["slack"] ?? 0 < RecentTools(turns: called).apps["slack"] ?? 0, "older counts less")
    }

    @Test func continuityNeverTakesMoreThanItsShareOfTheBudget() {
        let turns = [
            ["slack__get_channel_history", "slack__reply_to_thread", "slack__add_reaction"],
            ["gmail__search_emails", "discord__add_reaction", "outlook__reply_to_mail"],
        ]
        for k in [1, 2, 3, 6, 9] {
            let picked = Self.pick("what is the forecast", after: turns, k: k)
            let own = Self.pick("what is the forecast", after: [], k: k)
            let carried = picked.filter { !own.contains($0) }
            #expect(carried.count <= k / 3, "k \(k): \(picked)")
            #expect(picked.count <= k)
            #expect(picked.starts(with: own.prefix(k - k / 3)), "the turn's own picks keep their places: \(picked)")
        }
        // The most recent first: the last turn's last call.
        #expect(Self.pick("what is the forecast", after: turns, k: 3).last == "outlook__reply_to_mail")
    }

    @Test func theTranscriptsSuccessfulModuleCallsAreTheMemory() {
        let transcript: [ChatMessage] = [
            .user("what did ana say in #releases"),
            .assistant("", toolCalls: [ToolCall(id: "1", name: "slack__get_channel_history", arguments: [:])]),
            .toolResult(ToolResult(callID: "1", name: "slack__get_channel_history", content: "ana: shipped")),
            .toolResult(ToolResult(callID: "2", name: "gmail__search_emails", content: "denied", isError: true)),
            .toolResult(ToolResult(callID: "3", name: "search_tools", content: "tools added: x")),
            .assistant("Ana says it shipped."),
        ]
        let recent = RecentTools(transcript: transcript)
        #expect(recent.uses == [RecentTools.Use(tool: "slack__get_channel_history", turnsAgo: 0)])
        #expect(
            RecentTools(transcript: transcript + [.user("thanks"), .assistant("you're welcome")]).uses.first?
                .turnsAgo == 1)
    }

    @Test func aToolNoLongerInstalledIsNotOffered() {
        let recent = RecentTools(turns: [["gone__tool", "slack__add_reaction"]])
        let kept = recent.keep(["weather__get_forecast", "a", "b"], k: 3, name: { $0 }) { name in
            Self.tools.contains { $0.name == name } ? name : nil
        }
        #expect(kept == ["weather__get_forecast", "a", "slack__add_reaction"])
    }

    @Test func withoutMemoryTheRankingIsUnchanged() {
        let prior = AppUsagePrior(visits: [:], index: Self.index).withSession(.none, index: Self.index)
        #expect(prior.isEmpty)
        for q in ["reply to it", "add a reaction", "forecast"] {
            #expect(Self.index.rank(query: q, k: 5, usage: prior) == Self.index.rank(query: q, k: 5))
        }
    }
}

/// The guarantee behind `anAppTheFollowUpNamesWinsOverTheConversationsApp`, at the level of the prior itself.
@Test func anAppTheTurnNamesWeighsAsMuchAsTheConversationsApp() {
    let index = RecentToolsSpecs.index
    let prior = AppUsagePrior(visits: [:], index: index)
        .withSession(RecentTools(turns: [["slack__get_channel_history"]]), index: index)
    let appOfTool = index.router.appOfTool
    let gmail = RecentToolsSpecs.tools.firstIndex { $0.name == "gmail__reply_to_email" } ?? -1
    let slack = RecentToolsSpecs.tools.firstIndex { $0.name == "slack__reply_to_thread" } ?? -1
    let named = [appOfTool[gmail]: Float(0.4)]
    #expect(prior.factor(ofTool: gmail, appOfTool: appOfTool, named: named) > 1)
    #expect(
        prior.factor(ofTool: gmail, appOfTool: appOfTool, named: named)
            == prior.factor(ofTool: slack, appOfTool: appOfTool, named: named))
    #expect(prior.factor(ofTool: gmail, appOfTool: appOfTool, named: [:]) == 1, "unnamed and unused: no lift")
}

/// Thirty shops' `cancel_order` say "cancel" louder than the calendar's delete tool: ranked alone, the calendar's tool
/// is not even among the candidates the prior reorders. The conversation's app reaches past them, lexical and hybrid.
@Test func theConversationsAppIsFoundBeyondTheLookAlikesThatOutscoreIt() {
    let shops = (0..<30).map { ToolDefinition(name: "shop\($0)__cancel_order", description: "Cancel an order.") }
    let tools =
        shops + [
            ToolDefinition(name: "calendar__list_events", description: "List the events on a calendar."),
            ToolDefinition(
                name: "calendar__delete_event", description: "Delete an event from a calendar, or cancel it."),
        ]
    let index = ToolIndex(tools)
    let recent = RecentTools(turns: [["calendar__list_events"]])
    let prior = AppUsagePrior(visits: [:], index: index).withSession(recent, index: index)
    let query = "cancel the dentist one"
    let alone = index.rank(query: query, k: 2).map { tools[$0.index].name }
    #expect(!alone.contains("calendar__delete_event"), "\(alone)")
    let lexical = index.rank(query: query, k: 2, usage: prior).map { tools[$0.index].name }
    #expect(lexical.first == "calendar__delete_event", "\(lexical)")
    // The semantic half likes the shops too; each half read 4 deep, as 50 are read of 10,000 tools.
    let vectors = tools.map { $0.name.hasPrefix("shop") ? [Float(1), 0] : [Float(0.2), 1] }
    var hybrid = HybridRanker(lexical: index, semantic: SemanticIndex(dimension: 2, vectors: vectors))
    hybrid.depth = 4
    let fusedAlone = hybrid.rank(query: query, vectors: [[1, 0]], k: 3).map { tools[$0.index].name }
    #expect(!fusedAlone.contains("calendar__delete_event"), "\(fusedAlone)")
    // Liked by one half only, it follows the two copies both halves like best (the look-alike limit holds the rest).
    let fused = hybrid.rank(query: query, vectors: [[1, 0]], k: 3, usage: prior).map { tools[$0.index].name }
    #expect(fused.contains("calendar__delete_event"), "\(fused)")
}
