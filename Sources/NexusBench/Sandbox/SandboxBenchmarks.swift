import NexusCore
import NexusModules
import NexusPOSIX
import NexusSandbox

#if canImport(Glibc)
    import Glibc
#endif

/// One benchmark figure for `nexus bench` / `nexus sandbox bench`.
public struct SandboxBenchResult: Sendable, Equatable {
    public var name: String
    public var p50Ms: Double
    public var p99Ms: Double
    /// "ms" for timings, "MB/s" when p50/p99 hold a throughput.
    public var unit: String
}

/// The sandbox's performance targets: exec-mode overhead for `python3 -c pass` over the bare run
/// (target ≤ 40 ms at p50), and egress proxy throughput on loopback (target ≥ 50 MB/s).
public enum SandboxBenchmarks {
    public static func run(nexusExecutable: String, iterations: Int = 20) -> [SandboxBenchResult] {
        let python = "/usr/bin/python3"
        var bare: [Double] = []
        var jailed: [Double] = []
        let jailArgs = [nexusExecutable, "sandbox", "exec", "--mode", "exec", "--", "python3", "-c", "pass"]
        _ = timeProcess([python, "-c", "pass"])
        _ = timeProcess(jailArgs)
        for _ in 0..<iterations {
            if let t = timeProcess([python, "-c", "pass"]) { bare.append(t) }
            if let t = timeProcess(jailArgs) { jailed.append(t) }
        }
        var out: [SandboxBenchResult] = []
        let b = percentiles(bare)
        let j = percentiles(jailed)
        out.append(SandboxBenchResult(name: "sandbox.bare_python", p50Ms: b.0, p99Ms: b.1, unit: "ms"))
        out.append(SandboxBenchResult(name: "sandbox.exec_python", p50Ms: j.0, p99Ms: j.1, unit: "ms"))
        out.append(SandboxBenchResult(name: "sandbox.exec_overhead", p50Ms: j.0 - b.0, p99Ms: j.1 - b.1, unit: "ms"))
        let mbps = (0..<3).compactMap { _ in proxyThroughput(megabytes: 128) }.sorted()
        if let median = mbps.isEmpty ? nil : mbps[mbps.count / 2], let worst = mbps.first {
            out.append(SandboxBenchResult(name: "sandbox.proxy_throughput", p50Ms: median, p99Ms: worst, unit: "MB/s"))
        }
        return out
    }

    static func percentiles(_ xs: [Double]) -> (Double, Double) {
        guard !xs.isEmpty else { return (.nan, .nan) }
        let s = Stats(xs)
        return (s.p50, s.p99)
    }

    /// Wall time of one run in ms (output discarded), nil when it cannot start.
    static func timeProcess(_ argv: [String]) -> Double? {
        let start = MonotonicClock.nanoseconds()
        // A run that cannot start is one sample fewer.
        guard let pid = try? ChildProcess.spawn(argv, SpawnOptions(stdout: .null, stderr: .null)) else { return nil }
        ChildProcess.wait(pid)
        return MonotonicClock.millisSince(start)
    }

    /// Pushes `megabytes` through a CONNECT tunnel of a real EgressProxy to a loopback server.
    static func proxyThroughput(megabytes: Int) -> Double? {
        guard
            let server = LoopbackServer.start(handler: { fd in
                let chunk = [UInt8](repeating: 0x61, count: 65536)
                for _ in 0..<(megabytes * 16) { if !Descriptor.writeAll(fd, chunk) { break } }
            })
        else { return nil }
        defer { server.stop() }
        let dir = "/tmp/nexus-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(dir, 0o700) == 0 else { return nil }
        defer { ModuleFiles.removeTree(dir) }
        // A constant rule: it always parses.
        let rules = (try? HostRule.parse("127.0.0.1:\(server.port)")).map { [$0] } ?? []
        guard let proxy = try? EgressProxy(socketPath: dir + "/p.sock", policy: EgressPolicy(rules: rules)) else {
            return nil
        }
        proxy.start()
        defer { proxy.stop() }
        guard let c = UnixClient.connect(dir + "/p.sock") else { return nil }
        defer { close(c) }
        let start = MonotonicClock.nanoseconds()
        let authority = "127.0.0.1:\(server.port)"
        _ = Descriptor.writeAll(c, Array("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\r\n".utf8))
        var total = 0
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(c, $0.baseAddress, 65536) }
            if n <= 0 { break }
            total += n
        }
        let secs = MonotonicClock.millisSince(start) / 1000
        guard total > megabytes << 20 / 2, secs > 0 else { return nil }
        return Double(total) / 1_048_576 / secs
    }
}
