import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ModuleInstallerTests {
    @Test func installAsksWithNameCommandNetworkCredentialsAndDigest() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let folder = Fixtures.moduleFolder(
            in: f.dir, name: "asked",
            extra: JSONObject([
                ("network", ["allow": ["api.example.com"]]),
                ("credentials", [["name": "api_key", "env": "ASKED_KEY"]]),
            ]))
        let plan = try f.installer.prepare(.folder(folder))
        let approvals = FixedApprovals(.no)
        await #expect(throws: InstallError.notApproved(name: "asked")) {
            try await f.installer.install(plan, approval: approvals)
        }
        let req = try #require(approvals.requests.first)
        #expect(req.kind == .moduleInstall)
        let details = Dictionary(uniqueKeysWithValues: req.details.map { ($0.label, $0.value) })
        #expect(details["name"] == "asked 1.0.0 (testing)")
        #expect(details["command"] == "python3 adapter.py normal")
        #expect(details["network"] == "api.example.com")
        #expect(details["credentials"] == "api_key (ASKED_KEY)")
        #expect(details["sha256"] == plan.sha256)
        #expect(try f.registry.get("asked") == nil)
        #expect(FileSystem.exists(f.dir.path + "/modules/testing/asked") == false)
    }

    @Test func installedFolderIsPinnedBySHA256InManifestAndRegistry() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let rec = try await f.install("pin")
        #expect(rec.path == f.dir.path + "/modules/testing/pin")
        let m = try ModuleManifest.load(folder: rec.path)
        #expect(m.sha256 == rec.sha256)
        #expect(try ModuleFiles.digest(rec.path) == rec.sha256)
        #expect(rec.source.hasPrefix("folder:"))
    }

    @Test func upgradeKeepsTheOldVersionOutsideTheModuleFolderAndRollbackReturnsToIt() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let v1 = try await f.install("ver", version: "1.0.0")
        let v2 = try await f.install("ver", version: "2.0.0")
        let kept = f.dir.path + "/module-versions/ver"
        #expect(v2.seq == 2 && v2.version == "2.0.0")
        #expect(FileSystem.kind(of: v2.path + "/versions") == .missing)
        #expect(try ModuleFiles.digest(kept + "/v1") == v1.sha256)
        #expect(try ModuleFiles.digest(kept + "/v2") == v2.sha256)
        #expect(await f.text("ver", "whoami").content == "2.0.0")
        let back = try f.installer.rollback("ver")
        #expect(back.version == "1.0.0" && back.seq == 1 && back.sha256 == v1.sha256)
        #expect(FileSystem.kind(of: back.path + "/versions") == .missing)
        try await f.host.reload("ver")
        #expect(await f.text("ver", "whoami").content == "1.0.0")
        #expect(throws: ModuleHostError.nothingToRollBack(module: "ver")) { try f.installer.rollback("ver") }
    }

    @Test func versionsInsideAnOlderModuleFolderMoveOutOnFirstUseAndRollbackStillWorks() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let v1 = try await f.install("legacy", version: "1.0.0")
        let v2 = try await f.install("legacy", version: "2.0.0")
        // Rebuild the layout of an older home: v1 inside the live folder, nothing in the store.
        let store = f.dir.path + "/module-versions/legacy"
        _ = mkdir(v2.path + "/versions", 0o755)
        try ModuleFiles.rename(store + "/v1", v2.path + "/versions/v1")
        ModuleFiles.removeTree(store)
        #expect(try ModuleFiles.digest(v2.path) != v2.sha256)
        // First use (a start) moves it out, and the live folder matches its pin again.
        #expect(await f.text("legacy", "whoami").content == "2.0.0")
        #expect(FileSystem.kind(of: v2.path + "/versions") == .missing)
        #expect(try ModuleFiles.digest(store + "/v1") == v1.sha256)
        let back = try f.installer.rollback("legacy")
        #expect(back.version == "1.0.0" && back.sha256 == v1.sha256)
    }

    @Test func aVersionsFolderThatIsPartOfTheApprovedContentStaysInPlace() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let src = Fixtures.moduleFolder(in: f.dir, name: "owns", version: "1.0.0")
        _ = mkdir(src + "/versions", 0o755)
        f.dir.write("src-owns-1.0.0/versions/table.txt", "part of the module\n")
        let rec = try await f.installer.install(try f.installer.prepare(.folder(src)), approval: FixedApprovals(.yes))
        #expect(await f.text("owns", "whoami").content == "1.0.0")
        _ = try await f.install("owns", version: "2.0.0")
        _ = try f.installer.rollback("owns")
        #expect(FileSystem.kind(of: rec.path + "/versions/table.txt") == .file)
        #expect(FileSystem.kind(of: f.dir.path + "/module-versions/owns/v1/versions/table.txt") == .file)
    }

    @Test func sameNameInAnotherCategoryIsRefused() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("dup", category: "alpha")
        let other = Fixtures.moduleFolder(in: f.dir, name: "dup", category: "beta", version: "1.0.1")
        #expect(throws: InstallError.nameTaken(name: "dup", existingCategory: "alpha", newCategory: "beta")) {
            try f.installer.prepare(.folder(other))
        }
    }

    @Test func mcpCommandIsInstalledWithAWrittenManifest() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let plan = try f.installer.prepare(
            .mcpCommand(
                name: "cmd", command: ["python3", Fixtures.server, "normal"], category: "mcp", version: "1.0.0",
                networkAllow: [], credentialEnvs: []))
        let rec = try f.installer.commit(plan)
        #expect(rec.source == "mcp:python3 \(Fixtures.server) normal")
        #expect(await f.text("cmd", "echo", ["text": "via command"]).content == "via command")
        #expect(FileSystem.list(f.dir.path + "/modules").filter { $0.hasPrefix(".nexus-tmp") }.isEmpty)
    }

    @Test func removeArchivesTheFolderAndTheNameCanBeReused() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let rec = try await f.install("gone")
        await f.host.stop("gone")
        try f.installer.remove("gone")
        #expect(FileSystem.exists(rec.path) == false)
        #expect(FileSystem.list(f.dir.path + "/modules/.archive").count == 1)
        #expect(try f.registry.get("gone")?.state == .archived)
        #expect(try f.registry.all().contains { $0.name == "gone" } == false)
        let again = try await f.install("gone", category: "elsewhere")
        #expect(again.state == .enabled && again.category == "elsewhere")
    }

    @Test func interruptedUpgradeIsFinishedOrUndoneFromTheJournal() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let v1 = try await f.install("journal", version: "1.0.0")
        // Stage v2 by hand, journal it, and stop before the swap: recovery must undo it.
        let src = Fixtures.moduleFolder(in: f.dir, name: "journal", version: "2.0.0")
        let staging = f.dir.path + "/modules/testing/.nexus-staging-journal"
        try ModuleFiles.copyTree(src, to: staging)
        let sha2 = try ModuleFiles.digest(staging)
        let p = PendingOperation(
            name: "journal", operation: "upgrade", category: "testing", target: v1.path, staging: staging, newSeq: 2,
            newVersion: "2.0.0", newSHA256: sha2, source: "folder:x", createdBy: nil)
        try f.registry.beginPending(p)
        #expect(try f.installer.recover().first?.contains("undid") == true)
        #expect(try f.registry.get("journal")?.version == "1.0.0")
        #expect(FileSystem.exists(staging) == false)
        // Now crash right after the swap: recovery must finish it.
        try ModuleFiles.copyTree(src, to: staging)
        try f.registry.beginPending(p)
        try ModuleFiles.exchange(staging, v1.path)
        #expect(try f.installer.recover().first?.contains("finished") == true)
        let rec = try #require(try f.registry.get("journal"))
        #expect(rec.version == "2.0.0" && rec.sha256 == sha2 && rec.seq == 2)
        #expect(try ModuleFiles.digest(rec.path) == rec.sha256)
    }
}
