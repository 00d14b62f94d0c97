import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

/// Issue 12 item 15: a module that lists a service on this machine says so plainly before install.
@Suite struct LoopbackApprovalTests {
    @Test func installApprovalSaysPlainlyThatAModuleMayReachAServiceOnThisMachine() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let folder = Fixtures.moduleFolder(
            in: f.dir, name: "devserver",
            extra: JSONObject([("network", ["allow": ["api.example.com", "127.0.0.1:8080", "localhost:3000"]])]))
        let plan = try f.installer.prepare(.folder(folder))
        let approvals = FixedApprovals(.no)
        await #expect(throws: InstallError.notApproved(name: "devserver")) {
            try await f.installer.install(plan, approval: approvals)
        }
        let req = try #require(approvals.requests.first)
        let network = req.details.first { $0.label == "network" }?.value
        #expect(network == "api.example.com; may reach a service on this machine: 127.0.0.1:8080, localhost:3000")
    }
}
