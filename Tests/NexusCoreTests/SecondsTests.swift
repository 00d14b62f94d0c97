import Testing

@testable import NexusCore

/// Waits from config, servers and models become integers without ever trapping.
@Suite struct SecondsSpecs {
    @Test func ordinaryValuesConvertExactly() {
        #expect(Seconds.nanoseconds(1.5) == 1_500_000_000)
        #expect(Seconds.milliseconds(0.25) == 250)
        #expect(Seconds.wholeRoundedUp(2.1) == 3)
        #expect(Seconds.describe(3) == "3 s")
        #expect(Seconds.describe(0.5) == "0.5 s")
    }

    @Test func hugeInfiniteAndNaNValuesSaturateInsteadOfTrapping() {
        let ceilingNs = UInt64(Seconds.ceiling * 1e9)
        for s in [1e19, 1e300, .infinity, Double(Int.max), 99_999_999_999_999_999_999] {
            #expect(Seconds.nanoseconds(s) == ceilingNs)
            #expect(Seconds.wholeRoundedUp(s) == Int(Seconds.ceiling))
            #expect(Seconds.milliseconds(s) == Int(Seconds.ceiling * 1000))
            #expect(Seconds.describe(s) == "over 100 years")
        }
        for s in [-1, -Double.infinity, .nan] {
            #expect(Seconds.nanoseconds(s) == 0)
            #expect(Seconds.wholeRoundedUp(s) == 0)
            #expect(Seconds.milliseconds(s, atLeast: 1) == 1)
        }
        #expect(Seconds.describe(.nan) == "an unknown time")
        for s in [-1e300, -Double.infinity, -5] { #expect(Seconds.describe(s) == "0 s") }
    }

    @Test func aDeadlineFarAwayDoesNotOverflowTheClock() {
        let now = MonotonicClock.nanoseconds()
        #expect(MonotonicClock.deadline(after: .infinity) > now)
        #expect(MonotonicClock.deadline(after: -5) >= now)
    }
}
