import NexusCore
import NexusSandbox
import Testing

@Suite struct HostNameTests {
    @Test(arguments: [
        "a\u{0}.example.com", "a%00.example.com", "a\t.example.com", "a .example.com", "a\r\n.example.com",
        "user@api.example.com", "[fe80::1%eth0]", "fe80::1%25eth0", "a..example.com", ".example.com", "example..",
        "bücher.example", "2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "1.2.3.4.5", "a.0x10",
        "-a.example.com", "a-.example.com", "a_b.example.com", "a\\b.example.com", "[1.2.3.4]", "[::1", "",
    ])
    func hostThatIsNotLabelsOrAnAddressIsRefused(_ raw: String) {
        #expect(throws: HostName.Problem.self, "\(raw)") { try HostName.validate(raw) }
    }

    @Test func validHostsComeOutCanonical() throws {
        #expect(try HostName.validate("API.Example.COM.").text == "api.example.com")
        #expect(try HostName.validate("xn--bcher-kva.example").text == "xn--bcher-kva.example")
        #expect(try HostName.validate("[::FFFF:127.0.0.1]").text == "::ffff:127.0.0.1")
        #expect(try HostName.validate("10.0.0.1").address == IPAddress(parsing: "10.0.0.1"))
        #expect(try HostName.validate("localhost").text == "localhost")
    }

    @Test func authorityPortIsStrict() throws {
        #expect(try HostName.authority("a.example.com:8443", defaultPort: nil).1 == 8443)
        #expect(try HostName.authority("[::1]:8080", defaultPort: nil).1 == 8080)
        #expect(try HostName.authority("a.example.com", defaultPort: 80).1 == 80)
        for bad in [
            "a.example.com", "a.example.com:", "a.example.com:+1", "a.example.com:-1", "a.example.com:65536",
            "a.example.com:123456", "::1:80", "[::1]x", "a.example.com:80:80",
        ] {
            #expect(throws: HostName.Problem.self, "\(bad)") { try HostName.authority(bad, defaultPort: nil) }
        }
    }

    @Test func printableEscapesWhatALogLineMustNotCarry() {
        #expect(HostName.printable("a\u{0}b\r\n c") == "a\\x00b\\x0d\\x0a\\x20c")
    }
}
