import NexusBench
import Testing

/// The LLM suite's functions run and produce figures (targets are judged by `nexus bench`, not here).
@Suite struct LLMBenchmarkTests {
    @Test func benchmarksProduceMeasurements() async {
        let parse = LLMBenchmarks.sseParseThroughput(megabytes: 2)
        #expect(parse.value > 0 && parse.value.isFinite)
        let latency = await LLMBenchmarks.tokenLatency(tokens: 30, intervalMs: 1)
        #expect(latency.p50 != nil)
        #expect(latency.value.isFinite)
    }
}
