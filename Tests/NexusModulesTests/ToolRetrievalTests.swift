import NexusCore
import Testing

@testable import NexusModules

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// Look-alike apps: the same actions under several chat apps, plus an app whose name is an everyday word.
private let lookAlikes: [ToolDefinition] = [
    tool("mattermost__send_message", "Post a message to a Mattermost channel."),
    tool("zulip__send_message", "Post a message to a Zulip channel."),
    tool("slack__post_message", "Post a new message to a Slack channel."),
    tool("slack__list_channels", "List the public channels in the Slack workspace."),
    tool("slack__add_reaction", "Add an emoji reaction to a Slack message."),
    tool("last_fm__get_recent_tracks", "Get the tracks a Last.fm user scrobbled."),
    tool("last_fm__love_track", "Mark a track as loved on Last.fm."),
    tool("last_fm__get_top_artists", "Get a Last.fm user's top artists."),
    tool("gmail__search_emails", "Search the Gmail mailbox; find the last message from someone."),
    tool("gmail__send_email", "Send an email from your Gmail account."),
    tool("github__create_pull_request", "Open a pull request on GitHub."),
    tool("git__git_log", "Shows the commit logs of the local git repository."),
    tool("google_calendar__list_events", "List events on a Google Calendar between two dates."),
]

@Test func aBrandWrittenInCamelCaseStaysOneTermBesideItsParts() {
    #expect(ToolTokenizer.terms("open it on GitHub").contains("github"))
    #expect(ToolTokenizer.terms("pay with PayPal").contains("paypal"))
    // Identifiers still split as before.
    #expect(ToolTokenizer.words("github__listIssues") == ["github", "list", "issues"])
}

@Test func aTurnNamingGitHubPicksGitHubNotLocalGit() {
    let index = ToolIndex(lookAlikes)
    #expect(index.pick(query: "open a PR on GitHub", k: 1).first?.name == "github__create_pull_request")
}

@Test func aTypoOneEditAwayStillFindsTheTool() {
    let index = ToolIndex(lookAlikes)
    #expect(index.pick(query: "whats on my calender", k: 1).first?.name == "google_calendar__list_events")
    #expect(index.pick(query: "serch my emials", k: 1).first?.name == "gmail__search_emails")
    // A short known-looking word is not "corrected" into an app name ("ping" is not "bing").
    #expect(TypoMatcher(terms: ["bing": 0]).candidates("ping", rank: { _ in 0 }).isEmpty)
}

@Test func theAppATurnNamesOutranksItsLookAlikes() {
    let index = ToolIndex(lookAlikes)
    let picked = index.pick(query: "post a message in slack saying the deploy is done", k: 2).map(\.name)
    #expect(picked.first == "slack__post_message")
}

@Test func anAppNamedByAnEverydayWordIsNotRoutedToWhenTheWordIsUsedPlainly() {
    // Descriptions of other apps use "last" plainly; last_fm's namespace alone must not pull its tools in.
    let index = ToolIndex(lookAlikes)
    let picked = index.pick(query: "find the last mail from my landlord", k: 2).map(\.name)
    #expect(picked.first == "gmail__search_emails")
    #expect(!picked.contains { $0.hasPrefix("last_fm__") })
}

@Test func emptyAndHugeDescriptionsAndDuplicateNamesAreHandledWithANote() {
    let huge = String(repeating: "lorem ipsum dolor sit amet ", count: 4_000)  // ~108 KB
    let tools = [
        tool("weather__get_forecast", ""),
        tool("notes__dump", huge + " export notes"),
        tool("notes__dump", "a second copy with another text"),
        tool("mail__send_email", "Send an email."),
    ]
    let index = ToolIndex(tools)
    #expect(index.notes.contains { $0.hasPrefix("weather__get_forecast: no description") })
    #expect(index.notes.contains { $0.hasPrefix("notes__dump: description of") })
    #expect(index.notes.contains { $0 == "notes__dump: listed more than once; the picker indexes the first" })
    // The empty one is still found by its name; the huge one does not swamp the others.
    #expect(index.pick(query: "weather forecast", k: 1).first?.name == "weather__get_forecast")
    #expect(index.pick(query: "send an email", k: 1).first?.name == "mail__send_email")
    #expect(ToolText.embedding(of: tools[1]).unicodeScalars.count <= ToolText.embeddedScalars + 20)
    #expect(ToolText.embedding(of: tools[3]) == "Send an email.")
}

@Test func semanticRankingIsByCosineAndIgnoresMissingOrWrongSizedVectors() {
    let index = SemanticIndex(dimension: 2, vectors: [[1, 0], nil, [0, 1], [1, 1, 1]])
    #expect(index.embedded == 2)
    #expect(index.rank([0.9, 0.1], k: 3).map(\.index) == [0, 2])
    #expect(index.rank([1, 0, 0], k: 3).isEmpty)  // a query of another dimension finds nothing
}

@Test func hybridRankingFusesBothHalvesAndIsLexicalWithoutAVector() {
    let tools = [
        tool("cal__list_events", "List events between two dates."),
        tool("mail__send_email", "Send an email."),
        tool("chat__post_message", "Post a message."),
    ]
    let lexical = ToolIndex(tools)
    // The semantic half knows "agenda" means the calendar, where no word is shared.
    let semantic = SemanticIndex(dimension: 2, vectors: [[1, 0], [0, 1], [0.2, 0.8]])
    let hybrid = HybridRanker(lexical: lexical, semantic: semantic)
    #expect(hybrid.rank(query: "my agenda", vector: [1, 0], k: 1).first?.index == 0)
    #expect(hybrid.rank(query: "send an email", vector: nil, k: 1).first?.index == 1)
}

/// Eight mail apps offer the same `archive_email`: a ranking of five that holds five of them has no room for the
/// `send_email` the turn wants. With `sameNameLimit` (2 by default), at most that many tools of one name get in first.
@Test func lookAlikesOfOneNameLeaveRoomForOtherTools() {
    let apps = ["fastmail", "protonmail", "yahoo_mail", "zoho_mail", "icloud_mail", "hey_mail"]
    let tools =
        apps.map { tool("\($0)__archive_email", "Archive an email about the boiler in \($0) mail.") }
        + [tool("gmail__send_email", "Send an email.")]
    var off = ToolIndex.Routing()
    off.sameNameLimit = 0
    let plain = ToolIndex(tools, routing: off)
    let before = plain.pick(query: "email the landlord that the boiler is broken", k: 5).map(\.name)
    #expect(!before.contains("gmail__send_email"))
    let limited = ToolIndex(tools)  // sameNameLimit 2 by default
    let picked = limited.pick(query: "email the landlord that the boiler is broken", k: 5).map(\.name)
    #expect(picked.contains("gmail__send_email"))
    #expect(picked.filter { $0.hasSuffix("__archive_email") }.count == 4, "held-back look-alikes fill the room left")
    #expect(picked.prefix(2).allSatisfy { $0.hasSuffix("__archive_email") }, "the best two keep their places")
}
