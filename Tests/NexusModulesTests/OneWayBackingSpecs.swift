import NexusCore
import Testing

@testable import NexusModules

/// Specifications of what backs up an app name typed by accident (`AppNameWords`): the turn's own words and the
/// synonyms that mean them both ways, never a word a turn's word only suggests ("umbrella" suggests a forecast; a
/// forecast is no umbrella).

private func tool(_ name: String, _ description: String) -> ToolDefinition {
    ToolDefinition(name: name, description: description)
}

/// A weather app whose name is an everyday word, beside one whose name is not.
private let forecasts: [ToolDefinition] = [
    tool("tomorrow_io__get_forecast", "Hourly and daily forecast from Tomorrow.io."),
    tool("tomorrow_io__get_hourly_forecast", "Hour by hour forecast from Tomorrow.io for a location."),
    tool("tomorrow_io__get_air_quality", "Air quality from Tomorrow.io."),
    tool("weather__get_forecast", "Forecast for a place."),
    tool("weather__get_alerts", "Active weather alerts for a US state."),
    tool("todoist__add_task", "Add a task to a Todoist project, with a due date."),
]

private func index(oneWayBacking: Float) -> ToolIndex {
    var routing = ToolIndex.Routing()
    routing.oneWayBacking = oneWayBacking
    return ToolIndex(forecasts, routing: routing)
}

@Test func aWordTheTurnOnlySuggestsDoesNotBackAnAppNameTypedByAccident() {
    let query = "do I need an umbrella in seattle tomorrow"
    // "umbrella" suggests a forecast; counted as the tool's word it backed "tomorrow" as Tomorrow.io's name, and
    // Tomorrow.io's forecasts ranked first on the name alone.
    let before = index(oneWayBacking: 1).pick(query: query, k: 2).map(\.name)
    #expect(before.allSatisfy { $0.hasPrefix("tomorrow_io__") }, "\(before)")
    let after = index(oneWayBacking: 0).pick(query: query, k: 1).map(\.name)
    #expect(after == ["weather__get_forecast"], "\(after)")
}

@Test func aTypedWordOrATwoWaySynonymOfTheToolStillBacksTheName() {
    let picker = index(oneWayBacking: 0)
    // Typed: "forecast" is Tomorrow.io's tool's own word, so "tomorrow" beside it may well mean the app.
    #expect(picker.pick(query: "the forecast for tomorrow", k: 1).first?.name.hasPrefix("tomorrow_io__") == true)
    // "weather" and "forecast" mean each other (`ToolSynonyms`): as good as typed.
    #expect(ToolSynonyms.standard.expansions["weather"]?.contains("forecast") == true)
    #expect(picker.pick(query: "weather tomorrow", k: 1).first?.name.hasPrefix("tomorrow_io__") == true)
}
