import Glibc
import NexusCore
import NexusSandbox
import Testing

/// Attacks on the egress proxy (issue 12 item 1), each through the real proxy on a unix socket with a
/// real upstream server on 127.0.0.1 standing in for the internet. Each one got through before the
/// strict host validation, the Host check and per-request framing.
@Suite(.serialized) struct EgressAttackTests {
    func withProxy(
        _ rules: [HostRule], pins: [String: String] = [:], _ body: (String, EgressProxy) throws -> Void
    ) throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let proxy = try EgressProxy(socketPath: dir + "/p.sock", policy: EgressPolicy(rules: rules, pins: pins))
        proxy.start()
        defer { proxy.stop() }
        try body(dir + "/p.sock", proxy)
    }

    func rules(_ texts: String...) throws -> [HostRule] { try texts.map { try HostRule.parse($0) } }

    /// Sends raw bytes and reads the answer until the proxy closes.
    func exchange(_ sock: String, _ bytes: [UInt8]) throws -> String {
        let c = try #require(UnixClient.connect(sock))
        defer { close(c) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { write(c, $0.baseAddress!, bytes.count) }
        return T.readAll(c)
    }

    func exchange(_ sock: String, _ text: String) throws -> String { try exchange(sock, Array(text.utf8)) }

    @Test func nulInsideAConnectHostIsRefusedBeforeMatchingAndLogged() throws {
        let server = try #require(T.HTTPServer(body: "inside"))
        defer { server.stop() }
        try withProxy(try rules("*.example.com:\(server.port)", "127.0.0.1:\(server.port)")) { sock, proxy in
            let attack =
                Array("CONNECT 127.0.0.1".utf8) + [0] + Array(".example.com:\(server.port) HTTP/1.1\r\n\r\n".utf8)
            let response = try exchange(sock, attack)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(80))")
            #expect(server.requestLines.isEmpty)
            let r = try #require(proxy.records.first)
            #expect(r.verdict == .blocked)
            #expect(r.reason?.contains("control character") == true, "\(r.reason ?? "")")
            #expect(r.host.contains("\\x00"), "the audit log shows the NUL escaped: \(r.host)")
        }
    }

    @Test func percentEncodedNulHostIsRefusedWithoutAnyLookup() throws {
        try withProxy(try rules("*.example.com")) { sock, proxy in
            let response = try exchange(sock, "CONNECT 8.8.8.8%00.example.com:443 HTTP/1.1\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(80))")
            #expect(proxy.records.first?.reason?.contains("contains %") == true, "\(proxy.records)")
        }
    }

    @Test func hostHeaderThatDiffersFromThePlainHTTPTargetIsRefused() throws {
        let server = try #require(T.HTTPServer(body: "vhost"))
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)")) { sock, proxy in
            for host in ["evil.example", "127.0.0.1", "127.0.0.1:\(server.port + 1)"] {
                let response = try exchange(
                    sock, "GET http://127.0.0.1:\(server.port)/ HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                #expect(response.hasPrefix("HTTP/1.1 400"), "Host: \(host) got \(response.prefix(60))")
            }
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.allSatisfy { $0.verdict == .blocked && $0.reason?.contains("Host header") == true })
        }
    }

    @Test func duplicateHostHeadersAreRefused() throws {
        let server = try #require(T.HTTPServer(body: "dup"))
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)")) { sock, proxy in
            let response = try exchange(
                sock,
                "GET http://127.0.0.1:\(server.port)/ HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
                    + "Host: evil.example\r\n\r\n"
            )
            #expect(response.hasPrefix("HTTP/1.1 400"))
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.first?.reason == "duplicate Host headers")
        }
    }

    @Test func pipelinedSecondRequestToAForbiddenHostIsCheckedRefusedAndLogged() throws {
        let server = try #require(PipelineServer())
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)")) { sock, proxy in
            let first = "GET http://127.0.0.1:\(server.port)/ok HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n"
            let second = "GET http://evil.example/steal HTTP/1.1\r\nHost: evil.example\r\n\r\n"
            let response = try exchange(sock, first + second)
            #expect(response.hasPrefix("HTTP/1.1 200"))
            #expect(response.contains("served GET /ok HTTP/1.1"))
            #expect(response.contains("HTTP/1.1 403"), "\(response)")
            #expect(server.requestLines == ["GET /ok HTTP/1.1"], "only the checked request reached upstream")
            #expect(proxy.records.map(\.verdict) == [.allowed, .blocked])
            #expect(proxy.records.last?.host == "evil.example")
        }
    }

    @Test func pipelinedRequestHiddenInAnUndeclaredBodyIsCheckedOnItsOwn() throws {
        let server = try #require(PipelineServer())
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)")) { sock, proxy in
            // Content-Length says 5 bytes: the rest is a second request, which must be checked.
            let first =
                "POST http://127.0.0.1:\(server.port)/a HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
                + "Content-Length: 5\r\n\r\nhello"
            let second = "GET http://127.0.0.1:\(server.port)/b HTTP/1.1\r\nHost: evil.example\r\n\r\n"
            let response = try exchange(sock, first + second)
            #expect(response.contains("served POST /a HTTP/1.1"))
            #expect(response.contains("HTTP/1.1 400"), "\(response)")
            #expect(server.requestLines == ["POST /a HTTP/1.1"])
            #expect(proxy.records.map(\.verdict) == [.allowed, .blocked])
        }
    }

    @Test func contentLengthWithTransferEncodingIsRefusedAsSmuggling() throws {
        let server = try #require(PipelineServer())
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)")) { sock, proxy in
            let response = try exchange(
                sock,
                "POST http://127.0.0.1:\(server.port)/ HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
                    + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 400"))
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.first?.reason?.contains("smuggling") == true)
        }
    }

    @Test func userinfoInATargetIsRefused() throws {
        let server = try #require(T.HTTPServer(body: "userinfo"))
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)")) { sock, proxy in
            let plain = try exchange(
                sock,
                "GET http://evil.example@127.0.0.1:\(server.port)/ HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n")
            #expect(plain.hasPrefix("HTTP/1.1 400"), "\(plain.prefix(80))")
            let tunnel = try exchange(sock, "CONNECT evil.example@127.0.0.1:\(server.port) HTTP/1.1\r\n\r\n")
            #expect(tunnel.hasPrefix("HTTP/1.1 400"))
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.allSatisfy { $0.reason?.contains("userinfo@") == true }, "\(proxy.records)")
        }
    }

    @Test(arguments: ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "127.000.0.1"])
    func numericIPv4FormsOfLoopbackAreRefusedAsHosts(_ form: String) throws {
        let server = try #require(T.HTTPServer(body: "numeric"))
        defer { server.stop() }
        try withProxy(try rules("*.example.com:\(server.port)", "127.0.0.1:\(server.port)")) { sock, proxy in
            let response = try exchange(sock, "CONNECT \(form):\(server.port) HTTP/1.1\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(form): \(response.prefix(80))")
            #expect(proxy.records.first?.reason?.contains("numeric IPv4 form") == true, "\(proxy.records)")
        }
    }

    @Test func connectWithoutAPortOrWithASignedOrHugePortIsRefused() throws {
        let server = try #require(T.HTTPServer(body: "port"))
        defer { server.stop() }
        try withProxy(try rules("127.0.0.1:\(server.port)", "127.0.0.1:443")) { sock, proxy in
            for target in [
                "127.0.0.1", "127.0.0.1:", "127.0.0.1:+\(server.port)", "127.0.0.1:-1", "127.0.0.1:99999",
                "127.0.0.1:\(server.port + 65536)", "127.0.0.1:\(server.port) ",
            ] {
                let response = try exchange(sock, "CONNECT \(target) HTTP/1.1\r\n\r\n")
                #expect(response.hasPrefix("HTTP/1.1 400"), "\(target): \(response.prefix(60))")
            }
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.count == 7 && proxy.records.allSatisfy { $0.verdict == .blocked })
        }
    }

    @Test func wildcardNameThatResolvesToLoopbackIsRefusedEvenWithTheLoopbackPortListed() throws {
        let server = try #require(T.HTTPServer(body: "rebound"))
        defer { server.stop() }
        try withProxy(
            try rules("*.example.com:\(server.port)", "127.0.0.1:\(server.port)"),
            pins: ["rebind.example.com": "127.0.0.1"]
        ) { sock, proxy in
            let response = try exchange(sock, "CONNECT rebind.example.com:\(server.port) HTTP/1.1\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 403"), "\(response.prefix(80))")
            #expect(response.contains("wildcard"))
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.first?.reason?.contains("loopback") == true)
        }
    }

    @Test func unspecifiedAddressNeverReachesThisMachine() throws {
        let server = try #require(T.HTTPServer(body: "zero"))
        defer { server.stop() }
        #expect(throws: HostRule.ParseError.self) { try HostRule.parse("0.0.0.0:\(server.port)") }
        // Even a rule built by hand (not through parse) does not open 0.0.0.0, which Linux routes to loopback.
        try withProxy([HostRule(pattern: .address("0.0.0.0"), port: server.port)]) { sock, proxy in
            let response = try exchange(sock, "CONNECT 0.0.0.0:\(server.port) HTTP/1.1\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 403"), "\(response.prefix(80))")
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.first?.reason?.contains("never reachable") == true)
        }
    }

    /// DNS rebinding: the check applies to what the system resolver answers, the address connected to.
    /// The machine's own host name resolves to a loopback address through /etc/hosts on most systems.
    @Test func nameTheSystemResolverMapsToLoopbackIsRefusedAtTheAddressConnectedTo() throws {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, 255) == 0 else { return }
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()
        guard HostRule.isHostName(name), name != "localhost" else { return }
        let server = try #require(T.HTTPServer(body: "own name"))
        defer { server.stop() }
        try withProxy(try rules("\(name):\(server.port)", "127.0.0.1:\(server.port)")) { sock, proxy in
            let response = try exchange(sock, "CONNECT \(name):\(server.port) HTTP/1.1\r\n\r\n")
            #expect(!response.hasPrefix("HTTP/1.1 200"), "\(name) reached this machine: \(response.prefix(80))")
            #expect(server.requestLines.isEmpty)
            #expect(proxy.records.first?.verdict == .blocked)
        }
    }
}
