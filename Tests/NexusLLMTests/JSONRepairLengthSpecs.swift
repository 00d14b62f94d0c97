import NexusCore
import Testing

@testable import NexusLLM

/// Specs of the ReAct repair on a long reply (found by `fuzz/run.sh marks`).
@Suite struct JSONRepairLengthSpecs {
    @Test func aReplyOfFourHundredThousandWordsOutsideStringsIsRepairedInLinearTime() throws {
        // Python-style literals are rewritten word by word: each word was appended by copying the whole text
        // written so far (`String.UnicodeScalarView.append(contentsOf:)`), quadratic in the reply.
        let text = Self.reply(words: 400_000)
        let start = MonotonicClock.nanoseconds()
        let value = try JSONRepair.parse(text).get()
        let large = MonotonicClock.millisSince(start)
        #expect(value["a"]?.arrayValue?.count == 400_001)
        #expect(value["a"]?.arrayValue?.last == .null)
        // Linear, judged by growth rather than by a wall-clock bound that a loaded machine misses: 8× the words
        // take about 8× the time, where a quadratic repair takes 64×. The bound leaves 4× for load.
        let small = try Self.millis(words: 50_000)
        #expect(large < max(small, 1) * 32, "50,000 words took \(small) ms, 400,000 took \(large) ms")
    }

    static func reply(words: Int) -> String { "{'a': [" + String(repeating: "True, ", count: words) + "None,]}" }

    static func millis(words: Int) throws -> Double {
        let text = reply(words: words)
        let start = MonotonicClock.nanoseconds()
        _ = try JSONRepair.parse(text).get()
        return MonotonicClock.millisSince(start)
    }
}
