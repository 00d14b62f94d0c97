import NexusSandbox
import Testing

@Suite struct EgressPolicyTests {
    func policy(_ hosts: [String], pins: [String: String] = [:]) throws -> EgressPolicy {
        EgressPolicy(rules: try hosts.map { try HostRule.parse($0) }, pins: pins)
    }

    @Test func hostOutsideTheAllowlistIsDeniedWithAReason() throws {
        guard case .deny(let why) = try policy(["api.example.com"]).decide(host: "evil.example", port: 443) else {
            Issue.record("allowed")
            return
        }
        #expect(why.contains("allowlist"))
    }

    @Test func nameResolvingToLoopbackIsRefusedUnlessTheAddressIsListed() throws {
        guard case .deny(let why) = try policy(["localhost:8080"]).decide(host: "localhost", port: 8080) else {
            Issue.record("loopback allowed")
            return
        }
        #expect(why.contains("loopback"))
        #expect(
            try policy(["127.0.0.1:8080"]).decide(host: "127.0.0.1", port: 8080)
                == .allow([IPAddress(parsing: "127.0.0.1")!]))
    }

    @Test func pinnedNameToMetadataAddressIsRefused() throws {
        let p = try policy(["metadata.test"], pins: ["metadata.test": "169.254.169.254"])
        guard case .deny(let why) = p.decide(host: "metadata.test", port: 80) else {
            Issue.record("metadata allowed")
            return
        }
        #expect(why.contains("link-local"))
    }

    @Test func addressesAreClassified() {
        #expect(IPAddress(parsing: "10.1.2.3")?.nonPublicReason == "private")
        #expect(IPAddress(parsing: "192.168.1.1")?.nonPublicReason == "private")
        #expect(IPAddress(parsing: "172.20.0.1")?.nonPublicReason == "private")
        #expect(IPAddress(parsing: "169.254.169.254")?.nonPublicReason == "link-local")
        #expect(IPAddress(parsing: "::1")?.nonPublicReason == "loopback")
        #expect(IPAddress(parsing: "::ffff:127.0.0.1")?.nonPublicReason == "loopback")
        #expect(IPAddress(parsing: "fe80::1")?.nonPublicReason == "link-local")
        #expect(IPAddress(parsing: "fd00::1")?.nonPublicReason == "private")
        #expect(IPAddress(parsing: "93.184.216.34")?.nonPublicReason == nil)
        #expect(IPAddress(parsing: "2606:2800:220:1::1")?.nonPublicReason == nil)
    }
}
