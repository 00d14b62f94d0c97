import NexusCore
import Testing

@testable import NexusEvolution

/// `/build` and `nexus build` read one argument list the same way.
@Suite struct BuildArgumentsTests {
    @Test func descriptionWordsJoinAndOptionsAreTakenOut() throws {
        let a = try BuildArguments(parsing: [
            "an", "integration", "--name", "quotes", "for", "quotes", "--docs", "api.md", "--credential",
            "api_key=@/tmp/k", "--credential", "token=env:QT",
        ])
        #expect(a.description == "an integration for quotes")
        #expect(a.name == "quotes")
        #expect(a.docsFile == "api.md")
        #expect(a.credentials.map(\.name) == ["api_key", "token"])
        #expect(a.credentials.map(\.source) == [.file("/tmp/k"), .environment("QT")])
    }

    @Test func aCredentialValueInlineIsRefusedSoItNeverLandsInHistory() {
        #expect(throws: NexusError.self) { try BuildArguments(parsing: ["x", "--credential", "api_key=s3cret"]) }
    }

    @Test func noDescriptionOrABadNameIsAUsageError() {
        for args in [[], ["--name", "q"], ["x", "--name", "Bad-Name"], ["x", "--bogus"], ["x", "--docs"]] {
            do {
                _ = try BuildArguments(parsing: args)
                Issue.record("\(args) was accepted")
            } catch {
                #expect(error.exitCode == .usage)
            }
        }
    }
}
