import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

/// Module lifecycle in the audit trail (issue 16 item 7): every install, upgrade, rollback, enable,
/// disable, remove and approval decision is a row beside the vault's, and the sampler reads each running
/// module's process tree.
@Suite struct LifecycleAuditTests {
    func trail(_ f: HostFixture) throws -> [(String, String, String?)] {
        try AuditRepository(db: f.database).recent(actions: ModuleAudit.actions).map {
            ($0.action, $0.target, $0.detail)
        }
    }

    @Test func everyLifecycleStepAndApprovalLeavesARow() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let v1 = Fixtures.moduleFolder(in: f.dir, name: "audited", version: "1.0.0")
        let v2 = Fixtures.moduleFolder(in: f.dir, name: "audited", version: "2.0.0")
        _ = try await commands.install(.folder(v1), approval: FixedApprovals(.yes))
        _ = try await commands.install(.folder(v2), approval: FixedApprovals(.yes))
        _ = try await commands.rollback("audited")
        _ = try await commands.disable("audited")
        _ = try await commands.enable("audited")
        _ = try await commands.remove("audited")
        let refused = Fixtures.moduleFolder(in: f.dir, name: "refused")
        await #expect(throws: (any Error).self) {
            _ = try await commands.install(.folder(refused), approval: FixedApprovals(.no))
        }
        let rows = try trail(f)
        #expect(
            rows.map(\.0) == [
                "approve", "install", "approve", "upgrade", "rollback", "disable", "enable", "disable", "remove",
                "deny",
            ])
        #expect(rows.allSatisfy { $0.1 == "module/audited" || $0.1 == "module/refused" })
        #expect(rows[1].2?.hasPrefix("1.0.0 v1 sha256 ") == true)
        #expect(rows[4].2?.hasPrefix("1.0.0 v1 sha256 ") == true)
        #expect(rows[0].2?.contains("install-audited-") == true)
        // The vault's reader still sees only its own rows.
        let all = try AuditRepository(db: f.database).recent()
        #expect(all.allSatisfy { $0.actor == ModuleAudit.actor })
    }

    @Test func aSensitiveToolsDecisionIsAudited() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let extra = JSONObject([("sensitive_tools", ["echo"])])
        try await f.install("careful", extra: extra)
        _ = await f.host.call(toolName: "careful__echo", arguments: ["text": "hi"], approval: FixedApprovals(.no))
        let rows = try trail(f)
        #expect(rows.last?.0 == "deny" && rows.last?.1 == "module/careful")
        #expect(rows.last?.2?.contains("tool-careful-") == true)
    }

    @Test func theSamplerReadsARunningModulesProcessTree() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("sampled")
        let sampler = ModuleResourceSampler(host: f.host, bus: f.bus, intervalSeconds: 60)
        #expect(await sampler.sampleOnce().isEmpty, "nothing runs yet, nothing is read")
        let subscription = f.bus.subscribe(.lossless)
        _ = await f.text("sampled", "echo", ["text": "hi"])
        let readings = await sampler.sampleOnce()
        let usage = try #require(readings["sampled"])
        #expect(usage.residentBytes > 1 << 20, "a Python process holds more than a megabyte")
        #expect(usage.cpuSeconds > 0 && usage.processes >= 1)
        f.bus.finish()
        var published: [(String, Int)] = []
        for await e in subscription.events {
            if case .moduleResources(let m, let rss, _) = e.kind { published.append((m, rss)) }
        }
        #expect(published.map(\.0) == ["sampled"] && published.first?.1 == usage.residentBytes)
    }
}
