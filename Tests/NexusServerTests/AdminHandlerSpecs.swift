import NexusAdminChannel
import NexusCore
import NexusServer
import NexusTelemetry
import NexusTesting
import Testing

/// The admin API as a function in process (no socket, no front): the request → reply that every HTTP
/// request ends in. The same rules the HTTP specs check through `nexus-admin`, here without it.
@Suite(.serialized) struct AdminHandlerSpecs {
    static func handler(
        metrics: @escaping @Sendable () -> [UInt8] = { Array("up 1\n".utf8) }
    ) throws -> (AdminHandler, InProcessNexus) {
        let nexus = try InProcessNexus(config: AdminAPISpecs.config, providers: [ScriptedProvider(name: "fake")])
        let backend = AdminBackend(orchestrator: nexus.orchestrator, modules: nil, loadConfig: { NexusConfig() })
        let options = AdminOptions(port: 0, token: AdminAPISpecs.token, maxBodyBytes: 4096)
        return (AdminHandler(options: options, backend: backend, metrics: metrics), nexus)
    }

    static let auth = AdminRequest.Field("authorization", "Bearer \(AdminAPISpecs.token)")

    @Test func theTokenOriginAndHostAreCheckedBeforeAnyRoute() async throws {
        let (h, nexus) = try Self.handler()
        defer { Task { await nexus.close() } }
        #expect(await h.respond(to: AdminRequest(method: "GET", path: "/v1/routing")).status == 401)
        #expect(await h.respond(to: AdminRequest(method: "GET", path: "//v1/routing")).status == 401)
        #expect(
            await h.respond(to: AdminRequest(method: "GET", path: "/v1/routing", headers: [Self.auth])).status == 200)
        let foreign = AdminRequest(
            method: "GET", path: "/metrics", headers: [.init("origin", "http://evil.example")])
        #expect(await h.respond(to: foreign).status == 403)
        let rebound = AdminRequest(method: "GET", path: "/v1/routing", headers: [Self.auth], authority: "rebind.io")
        #expect(await h.respond(to: rebound).status == 403)
        let metrics = await h.respond(to: AdminRequest(method: "GET", path: "/metrics", authority: "127.0.0.1:8003"))
        #expect(metrics.status == 200)
        #expect(metrics.body == Array("up 1\n".utf8))
        #expect(metrics.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
    }

    @Test func unknownRoutesWrongMethodsAndOversizedBodiesGetTheirJSONErrors() async throws {
        let (h, nexus) = try Self.handler()
        defer { Task { await nexus.close() } }
        let missing = await h.respond(to: AdminRequest(method: "GET", path: "/v1/nope", headers: [Self.auth]))
        #expect(missing.status == 404)
        #expect(missing.header("content-type") == "application/json")
        let wrong = await h.respond(to: AdminRequest(method: "DELETE", path: "/v1/routing", headers: [Self.auth]))
        #expect(wrong.status == 405)
        #expect(wrong.header("allow") == "GET, PUT")
        let big = AdminRequest(method: "PUT", path: "/v1/routing", headers: [Self.auth], bodyTooLarge: true)
        #expect(await h.respond(to: big).status == 413)
        // Too large but without the token: the door answers first, as before the split.
        #expect(await h.respond(to: AdminRequest(method: "PUT", path: "/v1/routing", bodyTooLarge: true)).status == 401)
        let bad = AdminRequest(method: "PUT", path: "/v1/routing", headers: [Self.auth], body: Array("{".utf8))
        let reply = await h.respond(to: bad)
        #expect(reply.status == 400)
        #expect(String(decoding: reply.body, as: UTF8.self).contains("\"field\":\"body\""))
        let ledger = AdminRequest(
            method: "GET", path: "/v1/ledger", query: [.init("since", "1e999")], headers: [Self.auth])
        #expect(await h.respond(to: ledger).status == 400)
    }
}
