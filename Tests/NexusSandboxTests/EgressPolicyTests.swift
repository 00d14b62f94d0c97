import NexusCore
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

    @Test func localhostEntryReachesLoopbackOnItsPortWithoutAskingDNS() throws {
        let p = try policy(["localhost:8080"])
        #expect(
            p.decide(host: "localhost", port: 8080)
                == .allow([IPAddress(parsing: "127.0.0.1")!, IPAddress(parsing: "::1")!]))
        #expect(
            p.decide(host: "localhost", port: 8081)
                != .allow([IPAddress(parsing: "127.0.0.1")!, IPAddress(parsing: "::1")!]))
        #expect(
            try policy(["127.0.0.1:8080"]).decide(host: "127.0.0.1", port: 8080)
                == .allow([IPAddress(parsing: "127.0.0.1")!]))
    }

    @Test func nulInsideAHostIsNeverReadAsTheAddressBeforeIt() throws {
        // The reproduction from issue 12: `8.8.8.8\0.example.com` matched *.example.com and was then
        // read by inet_pton as 8.8.8.8.
        guard case .deny(let why) = try policy(["*.example.com"]).decide(host: "8.8.8.8\u{0}.example.com", port: 443)
        else {
            Issue.record("a NUL host was allowed")
            return
        }
        #expect(why.contains("not a valid host"))
    }

    @Test(arguments: [
        ("::127.0.0.1", "IPv4-compatible of loopback"), ("::ffff:10.0.0.1", "mapped private"),
        ("::ffff:0:10.0.0.1", "translated private"), ("64:ff9b::10.0.0.1", "NAT64 of private"),
        ("64:ff9b::127.0.0.1", "NAT64 of loopback"), ("64:ff9b:1::1", "local-use NAT64"),
        ("2002:a00:1::1", "6to4 of 10.0.0.1"), ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo"),
        ("fec0::1", "site-local"), ("100.64.0.1", "CGNAT"), ("198.18.0.1", "benchmarking"),
        ("192.0.0.8", "IETF"), ("192.0.2.1", "TEST-NET-1"), ("240.0.0.1", "reserved"), ("255.255.255.255", "broadcast"),
        ("0.1.2.3", "this network"), ("100::1", "discard"), ("2001:db8::1", "documentation"),
        ("5f00::1", "SRv6"), ("::", "unspecified"), ("::2", "compatible"),
    ])
    func wildcardNamePinnedToASpecialPurposeAddressIsRefused(_ address: String, _ what: String) throws {
        let p = try policy(["*.example.com"], pins: ["api.example.com": address])
        guard case .deny(let why) = p.decide(host: "api.example.com", port: 443) else {
            Issue.record("\(what) \(address) was allowed")
            return
        }
        #expect(why.contains(IPAddress(parsing: address)!.description), "\(why)")
    }

    @Test func publicAddressesInsideNAT64AndMappedFormsStayReachable() throws {
        for address in ["64:ff9b::93.184.216.34", "::ffff:93.184.216.34", "2606:2800:220:1::1", "93.184.216.34"] {
            let p = try policy(["api.example.com"], pins: ["api.example.com": address])
            #expect(
                p.decide(host: "api.example.com", port: 443) == .allow([IPAddress(parsing: address)!]), "\(address)")
        }
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
        #expect(IPAddress(parsing: "fd00::1")?.nonPublicReason?.hasPrefix("private") == true)
        #expect(IPAddress(parsing: "93.184.216.34")?.nonPublicReason == nil)
        #expect(IPAddress(parsing: "2606:2800:220:1::1")?.nonPublicReason == nil)
    }
}
