import NexusBench
import Testing

@Suite(.serialized) struct ModuleBenchmarkTests {
    /// The benchmarks run end to end and produce numbers (targets are judged by `nexus bench`, not here).
    @Test func moduleBenchmarksProduceEveryMeasurement() async {
        let results = await ModuleBenchmarks.run()
        for r in results { print("bench: \(r)") }
        #expect(
            results.map(\.name) == [
                "module_cold_start_to_tools_list", "module_warm_call_round_trip", "module_idle_cost",
                "startup_1000_modules",
            ])
        #expect(results.allSatisfy { $0.value.isFinite })
    }
}
