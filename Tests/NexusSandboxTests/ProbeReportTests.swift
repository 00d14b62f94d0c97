import NexusSandbox
import Testing

/// Which layers each mode needs, as the jailer decides when to fail closed.
@Suite struct ProbeReportTests {
    var full: ProbeReport {
        var r = SandboxProbe.run()
        r.tier = "A"
        r.userNamespaces = true
        r.netNamespace = true
        r.landlockABI = 4
        r.seccomp = true
        r.noNewPrivs = true
        return r
    }

    @Test func aFullJailMissesNothingInAnyMode() {
        for mode in SandboxMode.allCases { #expect(full.missingLayers(for: mode).isEmpty) }
        #expect(!full.summary.contains("missing"))
    }

    @Test func eachMissingLayerIsNamedForEveryMode() {
        var r = full
        r.landlockABI = 0
        r.seccomp = false
        for mode in SandboxMode.allCases { #expect(r.missingLayers(for: mode) == ["landlock", "seccomp"]) }
        #expect(r.summary.hasSuffix("missing: landlock, seccomp"))
    }

    @Test func tierBWithoutANetworkNamespaceMissesItOnlyForTheProxyModes() throws {
        var b = try #require(full.downgraded(to: "B"))
        #expect(b.missingLayers(for: .exec).isEmpty && b.missingLayers(for: .validate).isEmpty)
        b.netNamespace = false
        #expect(b.missingLayers(for: .exec).isEmpty)
        #expect(b.missingLayers(for: .validate) == ["network namespace"])
        #expect(b.missingLayers(for: .integration) == ["network namespace"])
    }

    @Test func tierCMissesTheNamespacesInEveryMode() throws {
        let c = try #require(full.downgraded(to: "C"))
        for mode in SandboxMode.allCases {
            #expect(c.missingLayers(for: mode).first?.hasPrefix("user namespaces") == true)
        }
        #expect(c.render().contains("mode exec: DEGRADED, missing user namespaces"))
    }
}
