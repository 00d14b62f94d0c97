import Glibc
import NexusCore
import NexusSandbox
import Synchronization
import Testing

/// What a module can make the egress proxy hold. The proxy runs in the jailer, on the host side of the
/// sandbox: nothing it keeps counts against the module's memory limit, so what it keeps per request must be
/// bounded however many requests the module makes.
@Suite(.serialized) struct EgressProxyResourceTests {
    /// Lines of /proc/self/maps: each thread stack nexus keeps is a mapping and its guard page.
    static func mappings() -> Int {
        let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var count = 0
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            count += buf[0..<n].filter { $0 == 10 }.count
        }
        return count
    }

    /// Seen before: every connection's thread was kept unjoined until the run ended, so a module that opened and
    /// closed connections in a loop grew the jailer by a thread stack each (8 MiB of address space, two mappings,
    /// about 25 KB resident): 20,000 refused CONNECTs took it to 500 MB resident, past the module's own 512 MB
    /// limit, and at about 32,000 the host's mapping limit stopped the proxy and every allocation of the jailer.
    /// Each request's record was kept as well, for as long as the module ran.
    @Test func connectionChurnKeepsTheProxysThreadsAndRecordsBounded() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let logged = Atomic<Int>(0)
        let proxy = try EgressProxy(
            socketPath: dir + "/p.sock", policy: EgressPolicy(rules: []), maxRecords: 100,
            onRecord: { _ in logged.add(1, ordering: .relaxed) })
        proxy.start()
        defer { proxy.stop() }
        let churn = 2_000
        // Warm up once, so the first connection's own allocations are not counted as growth.
        let c0 = try #require(UnixClient.connect(dir + "/p.sock"))
        T.send(c0, "CONNECT warm.example.com:443 HTTP/1.1\r\n\r\n")
        _ = T.readAll(c0)
        close(c0)
        let before = Self.mappings()
        for i in 0..<churn {
            let c = try #require(UnixClient.connect(dir + "/p.sock"))
            T.send(c, "CONNECT blocked-\(i).example.com:443 HTTP/1.1\r\n\r\n")
            let answer = T.readAll(c)
            close(c)
            if i == 0 { #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer.prefix(80))") }
        }
        for _ in 0..<3_000 where logged.load(ordering: .relaxed) < churn + 1 { usleep(10_000) }
        let grown = Self.mappings() - before
        // The mappings are the whole test process's: earlier suites' clean-up threads come and go meanwhile. A
        // thread left unjoined per connection leaves two (stack and guard), 4,000 here.
        #expect(grown < 1_000, "\(churn) finished connections left \(grown) mappings behind")
        #expect(logged.load(ordering: .relaxed) == churn + 1, "every request still reaches the audit log")
        #expect(proxy.records.count == 100, "the records kept in memory stop at their cap")
        #expect(proxy.omittedRecords == (total: churn + 1 - 100, blocked: churn + 1 - 100))
    }

    /// The run's result says how many requests it left out of `network`, and `blocked_network` counts them all.
    @Test func aResultWithOmittedRecordsCountsEveryBlockedRequest() throws {
        var r = SandboxResult(mode: .integration, tier: "A", degraded: false, outcome: .exited)
        r.network = [
            NetworkRecord(host: "x.example", port: 443, method: "CONNECT", path: nil, verdict: .blocked, reason: "no")
        ]
        r.networkOmitted = 5
        r.blockedNetworkOmitted = 4
        #expect(r.json["network_omitted"]?.intValue == 5)
        #expect(r.json["blocked_network"]?.intValue == 5)
        let back = try #require(SandboxResult(json: r.json))
        #expect(back.networkOmitted == 5 && back.blockedNetworkOmitted == 4)
    }
}
