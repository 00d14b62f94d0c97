import Glibc
import NexusCore
import NexusServer
import NexusTesting
import Testing

/// The front's life as the session sees it: a missing `nexus-admin` and a killed one are each one line,
/// and the chat goes on.
@Suite(.serialized) struct AdminFrontSpecs {
    @Test func aMissingFrontIsOneLineNamingThePathAndTheFix() async throws {
        let nexus = try InProcessNexus(config: AdminAPISpecs.config, providers: [ScriptedProvider(name: "fake")])
        defer { Task { await nexus.close() } }
        let backend = AdminBackend(orchestrator: nexus.orchestrator, modules: nil, loadConfig: { NexusConfig() })
        do {
            let server = try await AdminServer.start(
                options: AdminOptions(port: 0, token: AdminAPISpecs.token, frontPath: "/nonexistent/nexus-admin"),
                backend: backend
            ) { [] }
            await server.stop()
            Issue.record("a server started without its front")
        } catch {
            let text = error.userFacingDescription
            #expect(text.contains("/nonexistent/nexus-admin is missing"), "\(text)")
            #expect(text.contains("swift build --product nexus-admin"), "\(text)")
        }
    }

    @Test func killingTheFrontIsOneNoticeAndTheChatGoesOn() async throws {
        let notices = Notices()
        let h = try await AdminAPISpecs.Harness.start(
            steps: [.reply(text: "still here")], notice: notices.add)
        defer { Task { await h.close() } }
        #expect(h.http.send("GET", "/healthz")?.status == 200)
        kill(h.server.frontPID, SIGKILL)
        await h.server.wait()
        #expect(await notices.wait(for: "chat goes on without the admin server"), "\(notices.all)")
        #expect(notices.all.count == 1, "\(notices.all)")
        #expect(notices.all.first?.contains("killed by signal 9") == true, "\(notices.all)")
        let (outcome, events) = await h.nexus.run("hi")
        #expect(outcome == .done)
        let final = events.compactMap { e -> String? in if case .final(let t) = e.kind { t } else { nil } }
        #expect(final.joined().contains("still here"))
        #expect(h.http.send("GET", "/healthz") == nil, "the port is closed with its front")
    }

    @Test func stoppingTheServerEndsAndReapsTheFront() async throws {
        let h = try await AdminAPISpecs.Harness.start()
        let pid = h.server.frontPID
        await h.close()
        // stop() reaped it: no such process any more.
        #expect(kill(pid, 0) != 0)
        #expect(h.http.send("GET", "/healthz") == nil)
    }
}
