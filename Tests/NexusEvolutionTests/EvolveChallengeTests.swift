import NexusCore
import Testing

@testable import NexusEvolution

/// A challenge is a farm scenario phrased as a person's build request: the scenario's loopback base URL, its
/// OpenAPI document as the docs, the tools the judge calls; each level up takes hints away.
@Suite struct EvolveChallengeTests {
    static var farm: String { GateFixture.packageRoot + "/farm" }

    @Test func levelOneNamesTheURLTheToolsTheCredentialAndWhatTheJudgeExpects() throws {
        let b = try EvolveChallenge(scenario: "api_key_header", level: 1, reason: "").brief(farm: Self.farm)
        #expect(b.request.contains("http://127.0.0.1:18301/v1"))
        #expect(b.request.contains("- get_item (arguments: id)"))
        #expect(b.request.contains("api_key_auth"))
        #expect(b.request.contains("X-API-Key"), "level 1 says what the API does to a client")
        #expect(b.request.contains(#"get_item {"id":"zz"} → an error mentioning 404"#), "\(b.request)")
        #expect(b.docs.contains("openapi: 3.0.3"))
        #expect(b.name == "evolve_api_key_header")
    }

    @Test func eachLevelUpTakesHintsAway() throws {
        let levels = try (1...3).map {
            try EvolveChallenge(scenario: "api_key_header", level: $0, reason: "").brief(farm: Self.farm).request
        }
        #expect(!levels[1].contains("X-API-Key") && !levels[1].contains("checked with"))
        #expect(levels[1].contains("- get_item (arguments: id)"))
        #expect(levels[2].contains("- get_item") && !levels[2].contains("arguments: id"))
        #expect(levels[0].count > levels[1].count && levels[1].count > levels[2].count)
    }

    @Test func aScenarioWithoutItsFilesIsAOneLineError() throws {
        #expect {
            try EvolveChallenge(scenario: "no_such_scenario", level: 1, reason: "").brief(farm: Self.farm)
        } throws: { e in
            let m = (e as? NexusError)?.userMessage ?? ""
            return m.hasPrefix("evolve: scenario no_such_scenario cannot be read") && !m.contains("\n")
        }
    }
}
