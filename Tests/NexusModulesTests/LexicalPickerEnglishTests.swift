import NexusCore
import Testing

@testable import NexusModules

/// Specifications of the lexical picker's knowledge of everyday English and of tool versions: an app named by
/// an everyday word is not picked because a turn uses the word plainly, an app's whole name still names it, and
/// a tool's versions count as one name.

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// Apps whose names are everyday words (last_fm, tomorrow_io) beside apps whose names are rare words.
private let everydayNamedApps: [ToolDefinition] = [
    tool("last_fm__love_track", "Mark a track as loved on Last.fm."),
    tool("last_fm__get_recent_tracks", "Get the tracks a Last.fm user scrobbled."),
    tool("last_fm__get_top_artists", "Get a Last.fm user's top artists."),
    tool("tomorrow_io__get_forecast", "Hourly and daily forecast from Tomorrow.io."),
    tool("tomorrow_io__get_air_quality", "Air quality from Tomorrow.io."),
    tool("slack__add_reaction", "Add an emoji reaction to a message in a Slack channel."),
    tool("slack__post_message", "Post a message to a Slack channel."),
    tool("mattermost__send_message", "Post a message to a Mattermost channel."),
    tool("mattermost__add_reaction", "Add an emoji reaction to a Mattermost post."),
    tool("todoist__add_task", "Add a task to your to-do list, with an optional due date."),
    tool("gmail__search_emails", "Search the Gmail mailbox by sender, subject or words."),
]

/// The index as the picker builds it (English on by default).
private func everydayIndex() -> ToolIndex { ToolIndex(everydayNamedApps) }

/// The index without knowledge of English, as before it.
private func withoutEnglish() -> ToolIndex {
    var routing = ToolIndex.Routing()
    routing.englishSpan = 0
    routing.unbackedName = 1
    return ToolIndex(everydayNamedApps, routing: routing)
}

@Test func everydayEnglishFrequencyKnowsCommonWordsFromAppNames() {
    let last = EnglishWordFrequency.zipf(ofTerm: "last") ?? 0
    let box = EnglishWordFrequency.zipf(ofTerm: "box") ?? 0
    let slack = EnglishWordFrequency.zipf(ofTerm: "slack") ?? 0
    #expect(last > 5.5 && box > 4.8)
    #expect(slack < 4 && slack >= EnglishWordFrequency.floor)
    #expect(EnglishWordFrequency.zipf(ofTerm: "todoist") == nil, "a word too rare to be listed")
    // Looked up by search term: the stem's forms add up ("name", "names", "named", "namely" → `nam`).
    let stem = ToolTokenizer.terms("names").first ?? ""
    #expect((EnglishWordFrequency.zipf(ofTerm: stem) ?? 0) > 5.5)
}

@Test func aWordPeopleTypeAllTheTimeDoesNotPullInTheAppItNames() {
    let plain = withoutEnglish()
    let query = "thumbs up ana's last message"
    // Without English, "last" is the rarest word of the turn in this catalogue: last_fm wins.
    #expect(plain.pick(query: query, k: 1).first?.name.hasPrefix("last_fm__") == true)
    let picked = everydayIndex().pick(query: query, k: 2).map(\.name)
    #expect(picked.first?.hasPrefix("slack__") == true, "\(picked)")
    #expect(!picked.contains { $0.hasPrefix("last_fm__") })
    let todo = everydayIndex().pick(query: "add buy milk to my tasks for tomorrow", k: 1).map(\.name)
    #expect(todo == ["todoist__add_task"])
}

@Test func anAppNamedByARareWordIsStillRoutedTo() {
    let picked = everydayIndex().pick(query: "post in slack that lunch is here", k: 1).map(\.name)
    #expect(picked == ["slack__post_message"])
}

@Test func anAppsWholeNameNamesItEvenWhenItsPartsAreEverydayWords() {
    for query in ["show my top artists on last.fm", "show my top artists on lastfm", "top artists on Last FM"] {
        #expect(everydayIndex().pick(query: query, k: 1).first?.name == "last_fm__get_top_artists", "\(query)")
    }
    // Without the English cap too: a name typed as one word ("lastfm") is the app's name.
    #expect(withoutEnglish().pick(query: "open lastfm", k: 1).first?.name.hasPrefix("last_fm__") == true)
}

@Test func versionsOfOneToolCountAsOneNameForTheLookAlikeLimit() {
    #expect(ToolIndex.unversioned("get_forecast_v2") == "get_forecast")
    #expect(ToolIndex.unversioned("get-forecast-V10") == "get-forecast")
    #expect(ToolIndex.unversioned("get_forecast") == "get_forecast")
    #expect(ToolIndex.unversioned("set_ipv6") == "set_ipv6")
    #expect(ToolIndex.unversioned("_v2") == "_v2")
    let tools = [
        tool("acme_weather__get_forecast", "Weather forecast for a city: the forecast by day."),
        tool("acme_weather__get_forecast_v2", "Weather forecast for a city: the forecast by day."),
        tool("zeta_weather__get_forecast", "Weather forecast for a city: the forecast by day."),
        tool("zeta_weather__get_forecast_v2", "Weather forecast for a city: the forecast by day."),
        tool("storm_watch__get_alerts", "Severe weather alerts for a city."),
    ]
    let picked = ToolIndex(tools).pick(query: "weather forecast and alerts for oslo", k: 3).map(\.name)
    #expect(picked.contains("storm_watch__get_alerts"))
    #expect(picked.filter { $0.contains("__get_forecast") }.count == 2)
}

@Test func aTokensShapeSaysWhatKindOfThingTheTurnIsAbout() {
    let reading = TurnShapes.read(
        "tell #qa: mail accounting@acme.io, see https://news.site/a/1 (notes.txt) in src/ on last.fm at 48.85, v2.4.0")
    #expect(reading.implied == ["channel", "email", "url", "file", "directory"])
    #expect(reading.addresses == ["#qa", "accounting@acme.io", "https://news.site/a/1", "notes.txt", "src/"])
    // The names are blanked; a bare domain, a number and a version are left as typed.
    #expect(!reading.text.contains("acme") && !reading.text.contains("news") && !reading.text.contains("notes"))
    #expect(reading.text.contains("last.fm") && reading.text.contains("48.85") && reading.text.contains("v2.4.0"))
    #expect(TurnShapes.read("e.g. this, i.e. that, a well-known x-ray at 10-12, Wi-Fi").implied.isEmpty)
    #expect(TurnShapes.read("give PAY-93 to kevin").implied == ["issue"])
    #expect(TurnShapes.read(String(repeating: "a", count: 3_000) + ".txt").implied.isEmpty, "a blob is no name")
    // An app's name written as a domain is the app, not a file.
    #expect(TurnShapes.read("with remove.bg").implied == ["file"])
    #expect(TurnShapes.read("with remove.bg", isAppName: { $0 == "removebg" }).implied.isEmpty)
}

/// Tools whose names share words with the names a turn writes, beside the tools the turn is about.
private let namedThings: [ToolDefinition] = [
    tool("filesystem__read_file", "Read the complete contents of a file on the local disk."),
    tool("keep__get_note", "Get one of your notes by its title."),
    tool("protonmail__update_draft", "Update an email draft."),
    tool("github__create_issue", "Open an issue in a GitHub repository."),
    tool("github__list_notifications", "List your GitHub notifications."),
    tool("gmail__create_filter", "Create a mail filter: skip the inbox, label or archive matching email."),
]

@Test func aFileNamedInATurnPicksFileToolsNotToolsForTheWordsOfItsName() {
    let index = ToolIndex(namedThings)
    #expect(index.pick(query: "what does notes.txt say", k: 1).map(\.name) == ["filesystem__read_file"])
    #expect(index.pick(query: "what's in draft.md", k: 1).map(\.name) == ["filesystem__read_file"])
}

@Test func anEmailAddressDoesNotNameTheAppOfItsDomain() {
    let index = ToolIndex(namedThings)
    let picked = index.pick(query: "notifications@github.com: skip the inbox", k: 1).map(\.name)
    #expect(picked == ["gmail__create_filter"])
}

@Test func anIssueKeyNamesAnIssueNotTheWordsOfItsProject() {
    let index = ToolIndex([
        tool("jira__assign_issue", "Assign a Jira issue to someone."),
        tool("paypal__create_payout", "Send a payout to someone's PayPal account."),
        tool("stripe__create_payment_link", "Create a link people can pay through."),
    ])
    #expect(index.pick(query: "give PAY-93 to kevin", k: 1).map(\.name) == ["jira__assign_issue"])
}

@Test func anAppNameThatLooksLikeAnAdverbIsNotStemmedIntoAnEverydayWord() {
    #expect(ToolTokenizer.terms("Namely") == ToolTokenizer.terms("name"), "the plain stemmer conflates them")
    #expect(ToolTokenizer.terms("Namely", keepingWhole: ["namely"]) == ["namely"])
    let index = ToolIndex([
        tool("namely__update_employee", "Update an employee record in Namely."),
        tool("namely__list_employees", "List the employees in Namely."),
        tool("memory__create_entities", "Remember facts: create entities with a name and observations."),
    ])
    let picked = index.pick(query: "my daughter's name is ella", k: 1).map(\.name)
    #expect(picked == ["memory__create_entities"])
}

@Test func aWordShortenedByDroppingItsVowelsFindsTheWord() {
    let matcher = TypoMatcher(terms: ["tomorrow": 0, "tomorrowio": 1, "messag": 2, "timer": 3, "sourc": 4])
    #expect(matcher.abbreviated("tmrw", rank: { _ in 0 }) == [0], "the word, not the app whose name ends in a vowel")
    #expect(matcher.abbreviated("msg", rank: { _ in 0 }) == [2])
    #expect(matcher.abbreviated("src", rank: { _ in 0 }) == [4])
    #expect(matcher.abbreviated("tmr", rank: { _ in 0 }) == [3], "the last consonant is kept: timer, not tomorrow")
    #expect(matcher.abbreviated("time", rank: { _ in 0 }).isEmpty, "a word with vowels is not an abbreviation")
    let index = ToolIndex([
        tool("google_calendar__list_events", "List the events on your calendar for today or tomorrow."),
        tool("weather__get_current", "Current weather where you are."),
    ])
    #expect(index.pick(query: "whats on tmrw", k: 1).map(\.name) == ["google_calendar__list_events"])
}
