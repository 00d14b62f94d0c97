import NexusCore
import Testing

/// One definition of p50/p99 for every benchmark and the module health matrix: nearest rank.
@Suite struct StatsSpecs {
    @Test func nearestRankPercentiles() {
        let s = Stats((1...100).map(Double.init).shuffled())
        #expect(s.p50 == 50)
        #expect(s.p99 == 99)
        #expect(s.percentile(1) == 100)
        #expect(s.percentile(0) == 1)
        #expect(s.min == 1 && s.max == 100 && s.mean == 50.5)
    }

    @Test func aSingleSampleIsEveryPercentile() {
        let s = Stats([7])
        #expect(s.p50 == 7 && s.p99 == 7)
    }

    @Test func noSamplesGiveZeroNotACrash() {
        let s = Stats([])
        #expect(s.p50 == 0 && s.p99 == 0 && s.mean == 0 && s.count == 0)
    }

    @Test func p99OfASmallSetIsItsWorstSample() {
        #expect(Stats([1, 2, 3, 4, 1000]).p99 == 1000)
    }
}
