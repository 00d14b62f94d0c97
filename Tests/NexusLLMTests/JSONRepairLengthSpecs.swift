import NexusCore
import Testing

@testable import NexusLLM

/// Specs of the ReAct repair on a long reply (found by `fuzz/run.sh marks`).
@Suite struct JSONRepairLengthSpecs {
    @Test func aReplyOfFourHundredThousandWordsOutsideStringsIsRepairedInLinearTime() throws {
        // Python-style literals are rewritten word by word: each word was appended by copying the whole text
        // written so far (`String.UnicodeScalarView.append(contentsOf:)`), quadratic in the reply.
        let reply = "{'a': [" + String(repeating: "True, ", count: 400_000) + "None,]}"
        let start = MonotonicClock.nanoseconds()
        let value = try JSONRepair.parse(reply).get()
        let ms = MonotonicClock.millisSince(start)
        #expect(value["a"]?.arrayValue?.count == 400_001)
        #expect(value["a"]?.arrayValue?.last == .null)
        #expect(ms < 5_000, "took \(ms) ms")
    }
}
