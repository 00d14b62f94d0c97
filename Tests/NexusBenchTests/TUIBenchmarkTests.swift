import Testing

@testable import NexusBench

#if canImport(Glibc)
    import Glibc
#endif

/// The TUI suite reports its three rows (NEXUS_TUI_BENCH=1 runs it at full size and prints the figures).
@Test func theBenchmarkReportsFrameCpuAndKeyEchoRows() {
    let full = getenv("NEXUS_TUI_BENCH") != nil
    let rows = full ? TUIBenchmarks.run() : TUIBenchmarks.run(tokens: 400, keys: 60)
    if full { for r in rows { print("BENCH \(r.name) p50=\(r.p50Ms) p99=\(r.p99Ms)") } }
    #expect(rows.map(\.name) == ["tui.frame.stream_160x48", "tui.stream.cpu_percent", "tui.key_to_echo"])
    for r in rows { #expect(r.p50Ms > 0 && r.p99Ms >= r.p50Ms) }
}
