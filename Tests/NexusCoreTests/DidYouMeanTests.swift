import NexusCore
import Testing

/// Edit distance and the suggestions built on it.
@Suite struct DidYouMeanTests {
    @Test func transpositionCostsOneEdit() {
        #expect(DidYouMean.distance("hepl", "help") == 1)
        #expect(DidYouMean.distance("ab", "ba") == 1)
    }

    @Test func insertionsDeletionsAndSubstitutionsCount() {
        #expect(DidYouMean.distance("", "abc") == 3)
        #expect(DidYouMean.distance("bse_url", "base_url") == 1)
        #expect(DidYouMean.distance("kitten", "sitting") == 3)
        #expect(DidYouMean.distance("same", "same") == 0)
    }

    @Test func closeNamesAreSuggestedFarOnesAreNot() {
        let keys = ["kind", "base_url", "api_key_env", "models"]
        #expect(DidYouMean.suggestion(for: "bse_url", among: keys) == "base_url")
        #expect(DidYouMean.suggestion(for: "api_key", among: keys) == "api_key_env", "unique prefix")
        #expect(DidYouMean.suggestion(for: "colour", among: keys) == nil)
        #expect(DidYouMean.suggestion(for: "x", among: ["ui"]) == nil, "one letter does not mean two")
        #expect(DidYouMean.suggestion(for: "KIND", among: keys) == "kind")
    }
}
