import NexusCore
import NexusSandbox
import Testing

@Suite struct HostRuleTests {
    @Test func exactHostWithoutPortAllowsOnlyWebPorts() throws {
        let r = try HostRule.parse("API.Example.com")
        #expect(r.pattern == .exact("api.example.com"))
        #expect(r.matches(host: "api.example.com", port: 443))
        #expect(r.matches(host: "api.example.com", port: 80))
        #expect(!r.matches(host: "api.example.com", port: 8443))
    }

    @Test func explicitPortIsTheOnlyPort() throws {
        let r = try HostRule.parse("api.example.com:8443")
        #expect(r.matches(host: "api.example.com", port: 8443))
        #expect(!r.matches(host: "api.example.com", port: 443))
    }

    @Test func suffixPatternMatchesSubdomainsButNotLookalikes() throws {
        let r = try HostRule.parse("*.example.com")
        #expect(r.matches(host: "a.example.com", port: 443))
        #expect(r.matches(host: "a.b.example.com", port: 443))
        #expect(!r.matches(host: "example.com", port: 443))
        #expect(!r.matches(host: "evilexample.com", port: 443))
        #expect(!r.matches(host: "a.example.com.evil.net", port: 443))
    }

    @Test func exactHostDoesNotMatchLookalikes() throws {
        let r = try HostRule.parse("api.example.com")
        for h in ["api.example.com.evil.net", "evilapi.example.com", "api-example.com", "x.api.example.com"] {
            #expect(!r.matches(host: h, port: 443), "\(h)")
        }
    }

    @Test func addressesParseInBothFamilies() throws {
        #expect(try HostRule.parse("127.0.0.1:8080").pattern == .address("127.0.0.1"))
        #expect(try HostRule.parse("[::1]:8080").port == 8080)
        #expect(try HostRule.parse("[::1]:8080").pattern == .address("::1"))
        #expect(try HostRule.parse("10.0.0.5").port == nil)
    }

    @Test(arguments: ["127.0.0.1", "localhost", "[::1]", "::1", "127.0.0.2", "LOCALHOST."])
    func serviceOnThisMachineNeedsItsPort(_ text: String) {
        do {
            _ = try HostRule.parse(text)
            Issue.record("\(text) was accepted without a port")
        } catch {
            #expect(error.userMessage.contains("needs its port"))
        }
    }

    @Test func approvalSaysPlainlyWhichEntriesReachThisMachine() {
        #expect(
            HostRule.approvalText(["api.example.com", "127.0.0.1:8080", "localhost:3000"])
                == "api.example.com; may reach a service on this machine: 127.0.0.1:8080, localhost:3000")
        #expect(HostRule.approvalText([]) == "none")
        #expect(HostRule.approvalText(["*.example.com"]) == "*.example.com")
    }

    @Test func caseAndTrailingDotVariantsMatchTheSameEntry() throws {
        let r = try HostRule.parse("API.example.com.:443")
        #expect(r.pattern == .exact("api.example.com"))
        for h in ["api.example.com", "API.EXAMPLE.COM.", "Api.Example.Com"] {
            let valid = try HostName.validate(h)
            #expect(r.matches(host: valid.text, port: 443), "\(h)")
        }
    }

    @Test(arguments: [
        "https://api.example.com", "http://x", "10.0.0.0/8", "api.example.com/path", "", "   ", "api.example.com:0",
        "api.example.com:99999", "api.example.com:http", "*", "*.com", "a*.example.com", "api..example.com",
        "-bad.example.com", "exa mple.com", "2130706433", "0x7f.1:8080", "127.1", "0177.0.0.1:80", "a\u{0}.example.com",
        "a%00.example.com", "user@api.example.com", "[fe80::1%eth0]:80", "bücher.example", "0.0.0.0:80", "[::]:80",
        "api.example.com:+443", "api_x.example.com", "*.0x7f.1",
    ])
    func badAllowHostIsRefusedWithItsFlag(_ text: String) {
        #expect(throws: HostRule.ParseError.self) { try HostRule.parse(text) }
        do {
            _ = try HostRule.parse(text)
        } catch {
            #expect(error.userMessage.contains("--allow-host"))
            #expect(error.exitCode == .usage)
        }
    }

    @Test func urlGetsAHintToGiveTheHostOnly() {
        do {
            _ = try HostRule.parse("https://api.example.com/v1")
            Issue.record("a URL was accepted")
        } catch {
            #expect(error.userMessage.contains("URL"))
            #expect(error.hint?.contains("host name") == true)
        }
    }
}
