import NexusTesting
import Testing

@testable import NexusBench

@Suite struct VaultBenchmarkTests {
    /// Runs the benchmark functions once so they stay working; the timing targets are checked by `nexus bench`.
    @Test func benchmarksRunAndReportEveryMeasurement() {
        let dir = TemporaryDirectory(prefix: "nexus-vault-bench")
        defer { dir.remove() }
        let results = VaultBenchmarks.run(tempDir: dir.path, scale: 0.05)
        #expect(
            results.map(\.name) == [
                "vault.open_keyfile_decrypt_one", "vault.open_db_keyfile_decrypt_one", "vault.redact_1mb_100_secrets",
            ])
        #expect(results.allSatisfy { $0.p50Ms > 0 && $0.p99Ms >= $0.p50Ms })
        for r in results { print("bench \(r.name): p50 \(r.p50Ms) ms, p99 \(r.p99Ms) ms") }
    }
}
