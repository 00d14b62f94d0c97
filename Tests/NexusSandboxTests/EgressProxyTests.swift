import Glibc
import NexusCore
import NexusSandbox
import Testing

@Suite(.serialized) struct EgressProxyTests {
    func withProxy(_ allow: [String], _ body: (String, EgressProxy) throws -> Void) throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let proxy = try EgressProxy(
            socketPath: dir + "/p.sock", policy: EgressPolicy(rules: try allow.map { try HostRule.parse($0) }))
        proxy.start()
        defer { proxy.stop() }
        try body(dir + "/p.sock", proxy)
    }

    @Test func allowedPlainHTTPRequestIsForwardedInOriginFormAndLogged() throws {
        let server = try #require(T.HTTPServer(body: "hello"))
        defer { server.stop() }
        try withProxy(["127.0.0.1:\(server.port)"]) { sock, proxy in
            let c = try #require(UnixClient.connect(sock))
            defer { close(c) }
            T.send(
                c,
                "GET http://127.0.0.1:\(server.port)/greet?x=1 HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n"
                    + "Proxy-Connection: keep-alive\r\n\r\n"
            )
            let response = T.readAll(c)
            #expect(response.hasPrefix("HTTP/1.1 200"))
            #expect(response.hasSuffix("hello"))
            #expect(server.requestLines == ["GET /greet?x=1 HTTP/1.1"])
            let r = try #require(proxy.records.first)
            #expect(r.verdict == .allowed && r.method == "GET" && r.path == "/greet?x=1" && r.bytesDown > 0)
        }
    }

    @Test func hostOutsideTheAllowlistGets403WithAReadableReason() throws {
        try withProxy(["api.example.com"]) { sock, proxy in
            let c = try #require(UnixClient.connect(sock))
            defer { close(c) }
            T.send(c, "GET http://evil.example/steal HTTP/1.1\r\nHost: evil.example\r\n\r\n")
            let response = T.readAll(c)
            #expect(response.hasPrefix("HTTP/1.1 403"))
            #expect(response.contains("X-Nexus-Block-Reason: evil.example:80 is not in the network allowlist"))
            #expect(proxy.records.map(\.verdict) == [.blocked])
            #expect(proxy.records.first?.path == "/steal")
        }
    }

    /// Sends one request on a fresh connection and returns the whole answer.
    func ask(_ sock: String, _ request: String) throws -> String {
        let c = try #require(UnixClient.connect(sock))
        defer { close(c) }
        T.send(c, request)
        return T.readAll(c)
    }

    @Test func localhostEntryReachesExactlyItsOwnPortOnThisMachine() throws {
        let listed = try #require(T.HTTPServer(body: "dev server"))
        defer { listed.stop() }
        let other = try #require(T.HTTPServer(body: "other service"))
        defer { other.stop() }
        try withProxy(["localhost:\(listed.port)"]) { sock, proxy in
            for host in ["localhost", "LOCALHOST."] {
                let answer = try ask(
                    sock, "GET http://\(host):\(listed.port)/ HTTP/1.1\r\nHost: \(host):\(listed.port)\r\n\r\n")
                #expect(answer.hasSuffix("dev server"), "\(host): \(answer.prefix(80))")
            }
            for target in [
                "localhost:\(other.port)", "127.0.0.1:\(other.port)", "[::1]:\(other.port)", "127.0.0.2:\(listed.port)",
            ] {
                #expect(try ask(sock, "CONNECT \(target) HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 403"), "\(target)")
            }
            #expect(other.requestLines.isEmpty)
            #expect(proxy.records.filter { $0.verdict == .blocked }.count == 4)
        }
    }

    @Test func loopbackAddressEntryReachesExactlyItsOwnPort() throws {
        let listed = try #require(T.HTTPServer(body: "dev server"))
        defer { listed.stop() }
        let other = try #require(T.HTTPServer(body: "other service"))
        defer { other.stop() }
        try withProxy(["127.0.0.1:\(listed.port)"]) { sock, _ in
            let answer = try ask(
                sock, "GET http://127.0.0.1:\(listed.port)/ HTTP/1.1\r\nHost: 127.0.0.1:\(listed.port)\r\n\r\n")
            #expect(answer.hasSuffix("dev server"))
            for target in ["127.0.0.1:\(other.port)", "0.0.0.0:\(other.port)", "localhost:\(other.port)"] {
                #expect(try ask(sock, "CONNECT \(target) HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 403"), "\(target)")
            }
            #expect(other.requestLines.isEmpty)
        }
    }

    @Test func nameOtherThanLocalhostNeverReachesLoopbackEvenWhenPinnedThere() throws {
        let server = try #require(T.HTTPServer(body: "secret"))
        defer { server.stop() }
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let rules = try ["dev.test:\(server.port)", "127.0.0.1:\(server.port)"].map { try HostRule.parse($0) }
        let proxy = try EgressProxy(
            socketPath: dir + "/p.sock", policy: EgressPolicy(rules: rules, pins: ["dev.test": "127.0.0.1"]))
        proxy.start()
        defer { proxy.stop() }
        let c = try #require(UnixClient.connect(dir + "/p.sock"))
        defer { close(c) }
        T.send(c, "CONNECT dev.test:\(server.port) HTTP/1.1\r\n\r\n")
        let response = T.readAll(c)
        #expect(response.hasPrefix("HTTP/1.1 403"))
        #expect(response.contains("loopback"))
        #expect(server.requestLines.isEmpty)
    }

    @Test func connectTunnelCarriesBytesBothWays() throws {
        let server = try #require(T.HTTPServer(body: "tunnelled"))
        defer { server.stop() }
        try withProxy(["127.0.0.1:\(server.port)"]) { sock, proxy in
            let c = try #require(UnixClient.connect(sock))
            defer { close(c) }
            T.send(c, "CONNECT 127.0.0.1:\(server.port) HTTP/1.1\r\n\r\n")
            #expect(T.readHead(c).hasPrefix("HTTP/1.1 200"))
            T.send(c, "GET /inside HTTP/1.1\r\n\r\n")
            #expect(T.readAll(c).hasSuffix("tunnelled"))
            #expect(server.requestLines == ["GET /inside HTTP/1.1"])
            for _ in 0..<3_000 where proxy.records.isEmpty { usleep(10_000) }
            #expect(proxy.records.first?.method == "CONNECT")
        }
    }

    @Test func malformedRequestGets400() throws {
        try withProxy([]) { sock, _ in
            let c = try #require(UnixClient.connect(sock))
            defer { close(c) }
            T.send(c, "GET /relative HTTP/1.1\r\n\r\n")
            #expect(T.readAll(c).hasPrefix("HTTP/1.1 400"))
        }
    }
}
