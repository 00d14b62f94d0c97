import NexusCore
import NexusPOSIX
import Testing

@testable import NexusEvolution

/// Specs of a build model's reply that starts with one letter and many combining marks out of canonical order (a
/// stream's pieces joined: each was read in order, the run they make is not). Both readers look for the reply's
/// first "{" and last "}" character by character, and Swift's `Character` comparison sorts the run first, in time
/// quadratic in it.
///
/// Both measure CPU time, not the clock: a loaded machine stretched the improver's 0.17 s past its 2 s bound.
@Suite struct ModelRepliesWithManyMarksSpecs {
    static func marks(_ pairs: Int) -> String { "a" + String(repeating: "\u{0301}\u{0316}", count: pairs) }

    @Test func aBuildReplyAfterOneLetterAndManyMarksIsReadInLinearTime() throws {
        let reply = Self.marks(150_000) + #" {"files":[{"path":"manifest.json","content":"{}"}]}"#
        let start = ProcessCPUTime.seconds()
        let set = try BuildReplyParser.parse(reply)
        let ms = ProcessCPUTime.millisSince(start)
        #expect(set.files.map(\.path) == ["manifest.json"])
        #expect(ms < 5_000, "took \(ms) ms of CPU")
    }

    @Test func improvedDescriptionsAfterOneLetterAndManyMarksAreReadInLinearTime() throws {
        // The improver reads at most 256 KB: 120,000 marks fit.
        let plan = try OpenAPIDescriptionImproverTests.plan()
        let reply = Self.marks(60_000) + #" {"list_items": "All items."}"#
        #expect(reply.utf8.count <= OpenAPIDescriptionImprover.maxReplyBytes)
        let start = ProcessCPUTime.seconds()
        let found = OpenAPIDescriptionImprover.parse(reply, plan: plan)
        let ms = ProcessCPUTime.millisSince(start)
        #expect(found == ["list_items": "All items."])
        #expect(ms < 2_000, "took \(ms) ms of CPU")
    }
}
