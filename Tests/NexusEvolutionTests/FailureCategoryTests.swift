import Testing

@testable import NexusEvolution

@Test func failureCategoriesUseTheRepairPromptNames() {
    #expect(
        FailureCategory.allCases.map(\.rawValue) == [
            "syntax", "import", "policy", "manifest", "protocol", "test", "mutation", "timeout", "contract",
        ])
}
