import Glibc
import NexusCore
import NexusOrchestrator
import NexusServer
import NexusTelemetry
import NexusTesting
import Testing

/// The admin API over real loopback HTTP against a real orchestrator (issue 16 item 4): every request goes
/// through the `nexus-admin` front (Hummingbird, its own process) and back over the channel, so each check
/// here (token, origin, host, body cap, idle timeout) is shown to hold through the front.
@Suite(.serialized) struct AdminAPISpecs {
    static let token = String(repeating: "ab", count: 32)
    static let config = """
        [providers.fake]
        kind = "openai"
        base_url = "http://127.0.0.1:9/v1"
        max_retries = 0

        [providers.backup]
        kind = "openai"
        base_url = "http://127.0.0.1:10/v1"
        max_retries = 0

        [routing]
        simple_query = "fake:m1"
        """

    /// A session, its admin server on a free port, and a client.
    struct Harness {
        let nexus: InProcessNexus
        let server: AdminServer
        let http: RawHTTP
        let recorder: EventMetricsRecorder
        var auth: [String: String] { ["Authorization": "Bearer \(AdminAPISpecs.token)"] }

        static func start(
            steps: [ScriptedProvider.Step] = [], idleTimeout: Int = 30,
            notice: @escaping @Sendable (String) -> Void = { _ in }
        ) async throws -> Harness {
            let fake = ScriptedProvider(name: "fake", steps: steps)
            let nexus = try InProcessNexus(config: AdminAPISpecs.config, providers: [fake])
            let recorder = EventMetricsRecorder()
            recorder.attach(to: nexus.context.bus)
            let file = nexus.home.path + "/nexus.toml"
            let backend = AdminBackend(
                orchestrator: nexus.orchestrator, modules: nil,
                loadConfig: { try ConfigLoader.load(file: file, explicit: true, environment: [:]).config })
            let metrics = recorder.metrics
            let server = try await AdminServer.start(
                options: AdminOptions(
                    port: 0, token: AdminAPISpecs.token, maxBodyBytes: 4096, idleTimeoutSeconds: idleTimeout),
                backend: backend, notice: notice
            ) { metrics.renderBytes() }
            return Harness(nexus: nexus, server: server, http: RawHTTP(port: server.port), recorder: recorder)
        }

        func close() async {
            await server.stop()
            await nexus.close()
        }
    }

    @Test func healthzAndMetricsAnswerWithoutAToken() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let health = try #require(h.http.send("GET", "/healthz"))
        #expect(health.status == 200)
        #expect(health.body.contains("\"status\":\"ok\""))
        #expect(health.headers["content-type"] == "application/json")
        let metrics = try #require(h.http.send("GET", "/metrics"))
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
    }

    @Test func everyV1RouteRefusesAMissingOrWrongTokenWith401() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        for (method, path) in [
            ("GET", "/v1/routing"), ("PUT", "/v1/routing"), ("GET", "/v1/models"), ("GET", "/v1/modules"),
            ("POST", "/v1/modules/x/enable"), ("GET", "/v1/ledger"), ("POST", "/v1/reconfigure"), ("GET", "/v1/nope"),
        ] {
            let none = try #require(h.http.send(method, path))
            #expect(none.status == 401, "\(method) \(path)")
            #expect(none.body.contains("\"error\""))
            let wrong = try #require(
                h.http.send(
                    method, path, headers: ["Authorization": "Bearer " + String(repeating: "ab", count: 31) + "ac"]))
            #expect(wrong.status == 401, "\(method) \(path)")
            let basic = try #require(
                h.http.send(method, path, headers: ["Authorization": "Basic \(AdminAPISpecs.token)"]))
            #expect(basic.status == 401)
        }
    }

    @Test func aPathTheRouterFoldsCannotReachTheAPIWithoutTheToken() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let before = try #require(h.http.send("GET", "/v1/routing", headers: h.auth)).body
        for path in ["//v1/routing", "//v1//routing", "///v1/routing", "/v1/routing/", "//v1/models", "//v1/ledger"] {
            let get = try #require(h.http.send("GET", path))
            #expect(get.status == 401, "GET \(path) answered \(get.status) without a token")
            let body = #"{"task_type": "simple_query", "chain": ["backup:m2", "fake:m1"]}"#
            let put = try #require(h.http.send("PUT", path, headers: ["Content-Type": "application/json"], body: body))
            #expect(put.status == 401, "PUT \(path) answered \(put.status) without a token")
        }
        #expect(try #require(h.http.send("GET", "/v1/routing", headers: h.auth)).body == before, "routing unchanged")
    }

    @Test func aRequestFromAForeignOriginOrHostIsRefusedWith403EvenWithTheToken() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        for origin in ["http://evil.example", "null", "http://127.0.0.1.evil.example", "https://localhost.attacker.io"]
        {
            let r = try #require(h.http.send("GET", "/v1/routing", headers: h.auth.merging(["Origin": origin]) { $1 }))
            #expect(r.status == 403, "\(origin)")
            let m = try #require(h.http.send("GET", "/metrics", headers: ["Origin": origin]))
            #expect(m.status == 403, "\(origin)")
        }
        // DNS rebinding: the attacker's name resolves to 127.0.0.1, and the Host header says so.
        let rebound = try #require(h.http.send("GET", "/v1/routing", headers: h.auth, host: "rebind.attacker.io"))
        #expect(rebound.status == 403)
        let local = try #require(
            h.http.send("GET", "/v1/routing", headers: h.auth.merging(["Origin": "http://localhost:3000"]) { $1 }))
        #expect(local.status == 200)
    }

    @Test func anUnknownRouteIs404InJSON() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        for path in ["/v1/nope", "/v1/modules/x/explode", "/nothing"] {
            let method = path.contains("explode") ? "POST" : "GET"
            let r = try #require(h.http.send(method, path, headers: h.auth))
            #expect(r.status == 404, "\(path)")
            #expect(r.headers["content-type"] == "application/json")
            #expect(r.body.contains("\"error\""))
        }
        let module = try #require(h.http.send("POST", "/v1/modules/ghost/enable", headers: h.auth))
        #expect(module.status == 404)
        // A known path with a method it does not answer: 405 naming the ones it does.
        let wrongMethod = try #require(h.http.send("DELETE", "/v1/routing", headers: h.auth))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "GET, PUT")
        #expect(wrongMethod.body.contains("\"error\""))
    }

    @Test func putRoutingAndSlashModelAreOneCallAndTheSessionSeesItAtOnce() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let body = #"{"task_type": "simple_query", "chain": ["backup:m2", "fake:m1"]}"#
        let put = try #require(h.http.send("PUT", "/v1/routing", headers: h.auth, body: body))
        #expect(put.status == 200, "\(put.body)")
        #expect(put.body.contains("backup:m2"))
        // The running session routes by it: `/route` (what the TUI shows) has it, and a notice was published.
        let (_, events) = await h.nexus.run("/route")
        let text = events.compactMap { e -> String? in if case .commandOutput(_, let t) = e.kind { t } else { nil } }
        #expect(text.joined().contains("backup:m2 → fake:m1"))
        // And the other way: `/model` shows in GET /v1/routing.
        _ = await h.nexus.run("/model code_generation fake:m3")
        let get = try #require(h.http.send("GET", "/v1/routing", headers: h.auth))
        #expect(get.body.contains("\"fake:m3\""))
        #expect(get.body.contains("\"override\""))
    }

    @Test func badJSONIs400NamingTheField() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let cases: [(String, String)] = [
            ("{", "body"), ("[]", "body"), (#"{"chain": ["fake:m1"]}"#, "task_type"),
            (#"{"task_type": 5, "chain": ["fake:m1"]}"#, "task_type"),
            (#"{"task_type": "Bad Name!", "chain": ["fake:m1"]}"#, "task_type"),
            (#"{"task_type": "simple_query"}"#, "chain"), (#"{"task_type": "simple_query", "chain": []}"#, "chain"),
            (#"{"task_type": "simple_query", "chain": [1]}"#, "chain[0]"),
            (#"{"task_type": "simple_query", "chain": ["fake:m1", "nocolon"]}"#, "chain[1]"),
        ]
        for (body, field) in cases {
            let r = try #require(h.http.send("PUT", "/v1/routing", headers: h.auth, body: body))
            #expect(r.status == 400, "\(body)")
            #expect(r.body.contains("\"field\":\"\(field)\""), "\(body) → \(r.body)")
        }
    }

    @Test func routingToAnUnknownProviderIs422AndChangesNothing() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let r = try #require(
            h.http.send(
                "PUT", "/v1/routing", headers: h.auth, body: #"{"task_type":"simple_query","chain":["ghost:m"]}"#))
        #expect(r.status == 422)
        #expect(r.body.contains("ghost"))
        let get = try #require(h.http.send("GET", "/v1/routing", headers: h.auth))
        #expect(!get.body.contains("ghost"))
    }

    @Test func aModelNameCarryingACommaOrAControlCharacterIs400AndChangesNothing() async throws {
        // The attack: overrides are stored as one comma-joined text, so "fake:m1,ghost:x" passed the check on
        // "fake" and came back after a restart as a second model of an unchecked provider; an escape sequence
        // went to the terminal in the routing notice.
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        for chain in [#""fake:m1,ghost:x""#, #""fake:m1\u001b]52;c;Z2hvc3Q=\u0007""#] {
            let body = #"{"task_type":"simple_query","chain":["# + chain + "]}"
            let r = try #require(h.http.send("PUT", "/v1/routing", headers: h.auth, body: body))
            #expect(r.status == 400, "\(chain) answered \(r.status)")
        }
        let get = try #require(h.http.send("GET", "/v1/routing", headers: h.auth))
        #expect(!get.body.contains("ghost"))
        #expect(!get.body.contains("52;c"))
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let big =
            #"{"task_type":"simple_query","chain":["fake:m1"],"pad":""# + String(repeating: "x", count: 10_000) + "\"}"
        let r = try #require(h.http.send("PUT", "/v1/routing", headers: h.auth, body: big))
        #expect(r.status == 413)
        #expect(r.body.contains("\"error\""))
    }

    @Test func ledgerSinceListsTheCallsAfterATime() async throws {
        let h = try await Harness.start(steps: [.reply(text: "hello there")])
        defer { Task { await h.close() } }
        _ = await h.nexus.run("hi")
        await h.nexus.endSession()
        let all = try #require(h.http.send("GET", "/v1/ledger?since=0", headers: h.auth))
        #expect(all.status == 200)
        #expect(all.body.contains("\"provider\":\"fake\""))
        #expect(all.body.contains("\"tokens_in\":10"))
        let none = try #require(h.http.send("GET", "/v1/ledger?since=99999999999", headers: h.auth))
        #expect(none.body.contains("\"calls\":[]"))
        let bad = try #require(h.http.send("GET", "/v1/ledger?since=yesterday", headers: h.auth))
        #expect(bad.status == 400)
        #expect(bad.body.contains("\"field\":\"since\""))
    }

    @Test func reconfigureReloadsRoutingFromNexusToml() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        _ = h.nexus.home.write("nexus.toml", AdminAPISpecs.config.replacingOccurrences("\"fake:m1\"", "\"backup:m9\""))
        let r = try #require(h.http.send("POST", "/v1/reconfigure", headers: h.auth))
        #expect(r.status == 200, "\(r.body)")
        #expect(r.body.contains("\"applied\":[\"routing\"]"))
        let get = try #require(h.http.send("GET", "/v1/routing", headers: h.auth))
        #expect(get.body.contains("backup:m9"))
        _ = h.nexus.home.write("nexus.toml", "[routing]\nsimple_query = 5\n")
        let broken = try #require(h.http.send("POST", "/v1/reconfigure", headers: h.auth))
        #expect(broken.status == 422)
        #expect(broken.body.contains("routing.simple_query"))
    }

    @Test func aPortInUseIsOneClearErrorAndTheFirstServerKeepsServing() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let backend = AdminBackend(orchestrator: h.nexus.orchestrator, modules: nil, loadConfig: { NexusConfig() })
        do {
            let second = try await AdminServer.start(
                options: AdminOptions(port: h.server.port, token: AdminAPISpecs.token), backend: backend
            ) { [] }
            await second.stop()
            Issue.record("a second server bound the same port")
        } catch {
            #expect(error.userFacingDescription.contains("127.0.0.1:\(h.server.port) is already in use"))
        }
        #expect(h.http.send("GET", "/healthz")?.status == 200)
    }

    @Test func hostileRequestsGetAnAnswerOrACloseAndTheServerGoesOn() async throws {
        let h = try await Harness.start()
        defer { Task { await h.close() } }
        let hostile: [String] = [
            "GARBAGE\r\n\r\n",
            "GET /v1/routing HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(String(repeating: "A", count: 70_000))\r\n\r\n",
            "PUT /v1/routing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
            "PUT /v1/routing HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer \(AdminAPISpecs.token)\r\n\r\nFFFFFFFF\r\nxx",
            "GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\0\0\0\r\n\r\n",
            "GET /v1/ledger?since=1e999 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(AdminAPISpecs.token)\r\n\r\n",
        ]
        for req in hostile {
            let reply = h.http.raw(Array(req.utf8), timeout: 2)
            if let reply { #expect(reply.status >= 400, "\(req.prefix(40)) → \(reply.status)") }
        }
        let deep = String(repeating: "[", count: 5000)
        let r = try #require(h.http.send("PUT", "/v1/routing", headers: h.auth, body: deep))
        #expect(r.status == 413 || r.status == 400)
        #expect(h.http.send("GET", "/healthz")?.status == 200)
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() async throws {
        // The attack: a local process opens sockets and never writes; each one held a descriptor of nexus for good.
        let h = try await Harness.start(idleTimeout: 1)
        defer { Task { await h.close() } }
        let outcome = h.http.silentConnection(waitSeconds: 5)
        #expect(outcome == .closed, "an idle connection was still open after 5 s (idle timeout 1 s)")
        #expect(h.http.send("GET", "/healthz")?.status == 200)
    }

    @Test func theTokenFileIsMadePrivateOnceAndRefusedWhenOthersCanReadIt() throws {
        let dir = TemporaryDirectory(prefix: "nexus-admin-token")
        defer { dir.remove() }
        let first = try AdminToken.loadOrCreate(home: dir.path)
        #expect(first.count == 64)
        var st = stat()
        #expect(stat(dir.path + "/admin.token", &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(try AdminToken.loadOrCreate(home: dir.path) == first)
        chmod(dir.path + "/admin.token", 0o644)
        #expect(throws: NexusError.self) { try AdminToken.loadOrCreate(home: dir.path) }
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
