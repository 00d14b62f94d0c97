import NexusCore
import Testing

@testable import NexusEvolution

/// `nexus farm list` describes each scenario with its server's whole docstring, never a line cut mid-sentence.
@Suite struct FarmListSpecs {
    static var farm: String { GateFixture.packageRoot + "/farm" }

    @Test func aDocstringOfTwoLinesIsDescribedWhole() {
        let d = FarmScenarios.describe(Self.farm, "flaky_5xx")
        #expect(d.summary.hasPrefix("30% of requests fail with 500/502/503"), "\(d.summary)")
        #expect(d.summary.hasSuffix("always gets through."), "\(d.summary)")
        #expect(!d.summary.contains("\"\"\""), "\(d.summary)")
        #expect(d.port == "18310")
    }

    @Test func everyScenarioEndsItsDescriptionAsASentence() {
        for s in FarmScenarios.scenarios(Self.farm) {
            let d = FarmScenarios.describe(Self.farm, s)
            #expect(d.summary.hasSuffix(".") || d.summary.hasSuffix(")"), "\(s): \(d.summary)")
        }
    }
}
