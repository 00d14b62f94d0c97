import NexusCore
import NexusModules
import NexusTesting
import Testing

/// A small mixed catalogue: several apps whose tools share verbs, like a real installation.
private let sampleTools: [ToolDefinition] = [
    ToolDefinition(
        name: "openweather__get_current_weather",
        description: "Current weather conditions: temperature, humidity, wind and clouds for a city.",
        inputSchema: [
            "type": "object",
            "properties": [
                "location": ["type": "string", "description": "City name such as Paris,FR"],
                "units": ["type": "string", "enum": ["metric", "imperial"]],
            ],
        ]),
    ToolDefinition(name: "openweather__get_forecast", description: "Daily forecast for the next days."),
    ToolDefinition(name: "slack__send_message", description: "Post a message to a Slack channel."),
    ToolDefinition(name: "slack__list_channels", description: "List channels in the Slack workspace."),
    ToolDefinition(name: "github__listIssues", description: "List issues of a repository."),
    ToolDefinition(name: "github__create_issue", description: "Open a new issue in a repository."),
    ToolDefinition(name: "google_calendar__create_event", description: "Create a calendar event with guests."),
    ToolDefinition(name: "twitter__publish_post", description: "Publish a post on Twitter now."),
    ToolDefinition(
        name: "files__upload",
        description: "Store a file.",
        inputSchema: [
            "type": "object",
            "properties": ["checksum_algorithm": ["type": "string", "description": "sha256 or blake3 digest"]],
        ]),
    ToolDefinition(name: "clock__now", description: "Current date and time in a time zone."),
]

@Test func weatherQueryPicksWeatherToolFirst() {
    let index = ToolIndex(sampleTools)
    let picked = index.pick(query: "What's the weather like in Paris right now?", k: 3).map(\.name)
    #expect(picked.first == "openweather__get_current_weather")
    let forecast = index.pick(query: "will it rain tomorrow?", k: 3).map(\.name)
    #expect(forecast.first == "openweather__get_forecast")
}

@Test func aMegabyteTurnIsPickedForByTheWordsItEndsWith() {
    // A pasted megabyte of letters used to hang the turn in the tool picker (every one-letter deletion of a
    // 1 MB "word" looked up as a typo); `nexus --json` with such a line was killed by the test's timeout.
    let index = ToolIndex(sampleTools)
    let turn = String(repeating: "a", count: 1 << 20) + " what's the weather in Paris"
    #expect(index.pick(query: turn, k: 1).first?.name.contains("weather") == true)
}

@Test func namespacedAndCamelCaseNamesAreTokenized() {
    #expect(ToolTokenizer.words("github__listIssues") == ["github", "list", "issues"])
    #expect(ToolTokenizer.words("HTTPServer_v2.getURL") == ["http", "server", "v2", "get", "url"])
    #expect(ToolTokenizer.words("mcp/fs.read-file") == ["mcp", "fs", "read", "file"])
    let index = ToolIndex(sampleTools)
    #expect(index.pick(query: "list github issues", k: 1).map(\.name) == ["github__listIssues"])
}

@Test func stemmingJoinsWordForms() {
    #expect(ToolTokenizer.terms("creating issues") == ToolTokenizer.terms("create issue"))
    #expect(ToolTokenizer.terms("listed messages") == ToolTokenizer.terms("list message"))
    #expect(ToolTokenizer.stem("calling") == "call")
    #expect(ToolTokenizer.stem("running") == "run")
    #expect(ToolTokenizer.stem("queries") == ToolTokenizer.stem("query"))
    #expect(ToolTokenizer.stem("news") == "news")
}

@Test func emptyOrMeaninglessQueryPicksNothing() {
    let index = ToolIndex(sampleTools)
    #expect(index.pick(query: "", k: 5).isEmpty)
    #expect(index.pick(query: "   \n\t", k: 5).isEmpty)
    #expect(index.pick(query: "the of and to", k: 5).isEmpty)
    #expect(index.pick(query: "zzzqqq xyzzy", k: 5).isEmpty)
    #expect(index.pick(query: "weather", k: 0).isEmpty)
    #expect(ToolIndex([]).pick(query: "weather", k: 5).isEmpty)
}

@Test func schemaPropertyDescriptionsAreSearchable() {
    let index = ToolIndex(sampleTools)
    #expect(index.pick(query: "blake3 digest", k: 1).map(\.name) == ["files__upload"])
    #expect(index.pick(query: "imperial units", k: 1).map(\.name) == ["openweather__get_current_weather"])
}

@Test func synonymsFindToolsUnderOtherWordsButTypedWordsWin() {
    let withSynonyms = ToolIndex(sampleTools)
    let literal = ToolIndex(sampleTools, synonyms: .none)
    #expect(withSynonyms.pick(query: "tweet that we launched", k: 1).map(\.name) == ["twitter__publish_post"])
    #expect(literal.pick(query: "tweet that we launched", k: 1).isEmpty)
    // "post" is typed here, and also a synonym of "publish": the tool named with the typed word ranks first.
    let ranked = withSynonyms.rank(query: "post a message", k: 3)
    #expect(ranked.first.map { sampleTools[$0.index].name } == "slack__send_message")
}

@Test func rankIsOrderedByScoreAndLimitedToK() {
    let index = ToolIndex(sampleTools)
    let ranked = index.rank(query: "create issue event message", k: 3)
    #expect(ranked.count == 3)
    #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.score >= $1.score })
    #expect(Set(ranked.map(\.index)).count == 3)
}

@Test func tenThousandToolIndexBuildsAndMeetsRecallOnLabelledQueries() throws {
    let dir = benchDirectory()
    let tools = try ToolCatalogFile.loadTools(path: dir + "/catalog.jsonl")
    #expect(tools.count == 10_000)
    let index = ToolIndex(tools)
    #expect(index.count == 10_000)
    #expect(index.vocabularySize > 500)
    #expect(index.pick(query: "play Bohemian Rhapsody on spotify", k: 1).map(\.name) == ["spotify__play_track"])
}

@Test func malformedCatalogueLineIsReportedWithItsLine() {
    let tmp = TemporaryDirectory(prefix: "toolpicker")
    defer { tmp.remove() }
    let path = tmp.write("bad.jsonl", "{\"name\":\"a__b\",\"description\":\"ok\"}\n\n{\"name\": oops}\n")
    #expect(throws: ToolCatalogError.self) { try ToolCatalogFile.loadTools(path: path) }
    do {
        _ = try ToolCatalogFile.loadTools(path: path)
    } catch {
        #expect(error.userMessage.hasPrefix(path + ":3: "))
    }
}

/// bench/toolpicker/ of this checkout, found from this file's path.
private func benchDirectory(file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/NexusModulesTests/ToolPickerTests.swift
    return parts.joined(separator: "/") + "/bench/toolpicker"
}
