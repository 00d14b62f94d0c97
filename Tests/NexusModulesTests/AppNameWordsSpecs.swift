import NexusCore
import Testing

@testable import NexusModules

/// Specifications of app names typed by accident: a word that is only part of an app's name ("checkout" of
/// checkout_com, "last" of last_fm, "db" of MongoDB Atlas) names the app only when the rest of the turn matches the
/// app's tool too; a word the app's own tools use plainly ("calendar", "sheet") and an app's whole name still name it.

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// Apps whose names hold everyday words, beside the apps a turn using those words plainly wants.
private let namedByParts: [ToolDefinition] = [
    tool("checkout_com__refund_payment", "Refund a Checkout Com payment fully or partly."),
    tool("checkout_com__create_customer", "Create a customer in Checkout Com."),
    tool("checkout_com__list_payments", "List the payments of a Checkout Com account."),
    tool("kubernetes__scale_deployment", "Scale a deployment to a number of replicas."),
    tool("kubernetes__get_pods", "List the pods of a namespace."),
    tool("last_fm__love_track", "Mark a track as loved on Last.fm."),
    tool("last_fm__get_top_artists", "Get a Last.fm user's top artists."),
    tool("mongodb_atlas__run_query", "Run a query against MongoDB Atlas and return rows."),
    tool("mongodb_atlas__list_tables", "List the collections of a MongoDB Atlas cluster."),
    tool("pagerduty__create_incident", "Open an incident and alert the on-call responder."),
    tool("tomorrow_io__get_forecast", "Hourly and daily forecast from Tomorrow.io."),
    tool("tomorrow_io__get_air_quality", "Air quality from Tomorrow.io."),
    tool("google_calendar__search_events", "Search the events of your calendar by words or attendees."),
    tool("google_calendar__create_event", "Create an event in a Google Calendar calendar."),
    tool("google_sheets__append_rows", "Append rows at the end of a Google Sheets table."),
    tool("google_sheets__read_range", "Read the cell values of a range in a Google Sheets spreadsheet."),
]

/// The index as the picker builds it: a weak name counts only where the turn backs it up.
private func backedIndex() -> ToolIndex { ToolIndex(namedByParts) }

/// The index where a part of a name counts wherever it matches, as before `unbackedName`.
private func unbackedIndex() -> ToolIndex {
    var routing = ToolIndex.Routing()
    routing.unbackedName = 1
    return ToolIndex(namedByParts, routing: routing)
}

private func apps(_ picked: [ToolDefinition]) -> [String] {
    picked.map { ToolIndex.splitName($0.name).namespace }
}

@Test func aPartOfAnAppsNameNamesItOnlyWhenTheRestOfTheTurnMatchesItsTool() {
    let query = "we need 5 replicas of checkout, traffic is spiking"
    // Counted wherever it matches, "checkout" is the rarest word of the turn: checkout_com's tools fill the picks.
    let before = apps(unbackedIndex().pick(query: query, k: 3))
    #expect(before.filter { $0 == "checkout_com" }.count >= 2, "\(before)")
    let picked = backedIndex().pick(query: query, k: 3)
    #expect(picked.first?.name == "kubernetes__scale_deployment", "\(picked.map(\.name))")
    #expect(!apps(picked).contains("checkout_com"))
    // Backed by a word of the tool's own text ("refund", "payment"), the same part names the app.
    #expect(
        backedIndex().pick(query: "refund that checkout payment", k: 1).first?.name == "checkout_com__refund_payment")
}

@Test func anEverydayWordInsideAnAppsNameDoesNotFillThePicksWithThatApp() {
    let accidental: Set = ["last_fm", "mongodb_atlas"]
    for query in ["when was my last one-on-one with raj", "page the db team: replication lag on the primary"] {
        let before = apps(unbackedIndex().pick(query: query, k: 5))
        #expect(before.contains(where: accidental.contains), "\(query): \(before)")
        let after = apps(backedIndex().pick(query: query, k: 5))
        #expect(!after.contains(where: accidental.contains), "\(query): \(after)")
    }
}

@Test func aWordThatOnlySuggestsWhatAnAppsToolsSayIsNoPlainWordOfTheApp() throws {
    // "tomorrow" suggests a forecast (`ToolSynonyms` expands it so), but a forecast is no tomorrow: Tomorrow.io's
    // tools saying "forecast" do not make "tomorrow" a word of theirs, and it names the app only weakly.
    let index = backedIndex()
    let tomorrow = try #require(index.termIDs["tomorrow"])
    let app = try #require(index.router.appIDs["tomorrow_io"])
    #expect(index.nameWords.weakNames[tomorrow]?.contains(app) == true)
    // "sheet" and "spreadsheet" mean each other: google_sheets' "spreadsheet" would make "sheet" its plain word.
    #expect(ToolSynonyms.standard.expansions["spreadsheet"]?.contains("sheet") == true)
}

@Test func aWordAnAppsToolsUseOutsideItsNameStillNamesIt() {
    // "calendar" is google_calendar's word for what it holds ("the events of your calendar"), not only its name.
    #expect(apps(backedIndex().pick(query: "what's on my calendar", k: 2)) == ["google_calendar", "google_calendar"])
    // "sheet" means spreadsheet (`ToolSynonyms`), which google_sheets' tools say outside their name.
    let sheet = backedIndex().pick(query: "add a line to the expenses sheet: taxi, 34 eur", k: 2)
    #expect(apps(sheet).first == "google_sheets", "\(sheet.map(\.name))")
}

@Test func anAppsWholeNameNamesItWithoutBacking() {
    for query in ["open mongodb", "show my top artists on last.fm", "anything new in checkout.com"] {
        let picked = apps(backedIndex().pick(query: query, k: 1))
        #expect(picked.first.map { query.lowercased().contains($0.prefix(4)) } == true, "\(query): \(picked)")
    }
}

@Test func theWordsOfAToolsTextOutsideItsAppsNameAreItsPlainWords() {
    #expect(
        AppNameWords.wordsOutsideName("Run a query against MongoDB Atlas", name: "mongodbatlas") == [
            "run", "a", "query", "against",
        ])
    #expect(AppNameWords.wordsOutsideName("Mark a track as loved on Last.fm.", name: "lastfm").last == "on")
    #expect(AppNameWords.wordsOutsideName("last seen", name: "lastfm") == ["last", "seen"])
}

@Test func aHostileAppNameAndDescriptionCostLittle() {
    // A namespace of 2,000 "a"s and a description of 4,000 one-letter words that each spell its start.
    let name = String(repeating: "a", count: 2_000)
    let text = Array(repeating: "a", count: 4_000).joined(separator: " ")
    let t0 = MonotonicClock.nanoseconds()
    let index = ToolIndex([tool("\(name)__do", text), tool("b__do", text)] + namedByParts)
    #expect(MonotonicClock.millisSince(t0) < 2_000)
    #expect(AppNameWords.wordsOutsideName(text, name: name).count == 4_000, "too long a name spells nothing")
    #expect(index.pick(query: "we need 5 replicas of checkout", k: 1).first?.name == "kubernetes__scale_deployment")
}
