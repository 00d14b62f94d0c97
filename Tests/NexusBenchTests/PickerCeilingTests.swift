import NexusCore
import NexusModules
import Testing

@testable import NexusBench

/// The app-blind ceiling printed beside the picker's strict recall: what the labels allow a ranker that finds
/// the right tool but cannot know which of the apps offering it the user means.
@Suite struct PickerCeilingTests {
    static func tools(_ names: [String]) -> [ToolDefinition] {
        names.map { ToolDefinition(name: $0, description: "") }
    }

    @Test func aTurnNamingNoAppOfAToolFourAppsOfferCountsTwoInFour() {
        let tools = Self.tools(["spotify__pause", "tidal__pause", "deezer__pause", "apple_music__pause"])
        let turns = [ToolCatalogFile.LabelledQuery(query: "shh, stop the music", expected: "spotify__pause")]
        let bound = PickerCeiling.appBlind(tools: tools, turns: turns, shown: 2)
        #expect(bound.recall == 0.5)
        #expect(bound.ambiguous == 1)
        #expect(bound.medianApps == 4)
        #expect(PickerCeiling.appBlind(tools: tools, turns: turns, shown: 5).recall == 1)
    }

    @Test func aTurnThatNamesTheAppOrAToolOnlyOneAppOffersIsFullyReachable() {
        let tools = Self.tools(["spotify__pause", "tidal__pause", "spotify__add_to_queue", "gmail__send_email"])
        let turns = [
            ToolCatalogFile.LabelledQuery(query: "pause spotify", expected: "spotify__pause"),
            ToolCatalogFile.LabelledQuery(query: "queue this one up", expected: "spotify__add_to_queue"),
            ToolCatalogFile.LabelledQuery(query: "email the landlord", expected: "gmail__send_email"),
        ]
        let bound = PickerCeiling.appBlind(tools: tools, turns: turns, shown: 2)
        #expect(bound.recall == 1)
        #expect(bound.ambiguous == 0)
    }
}
