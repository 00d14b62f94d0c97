import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

/// `modules info` lists a module's versions as they are now, and where `modules rollback` would go: a version
/// archived when the module was removed is not offered as if it could be restored.
@Suite struct ModuleInfoVersionsSpecs {
    func info(_ f: HostFixture, _ name: String) async throws -> [String] {
        let text = try await ModuleCommands(host: f.host, installer: f.installer).info(name)
        return text.split(separator: "\n").map(String.init)
    }

    @Test func versionsSayWhichIsRunningWhichAreKeptAndWhereRollbackGoes() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("ver", version: "1.0.0")
        try await f.install("ver", version: "2.0.0")
        try await f.install("ver", version: "2.0.0")
        let lines = try await info(f, "ver")
        #expect(lines.contains("versions: v1 1.0.0 (kept), v2 2.0.0 (same files), v3 2.0.0 (running)"), "\(lines)")
        #expect(lines.contains("rollback: to v1 1.0.0"), "\(lines)")
    }

    @Test func versionsOfAnEarlierInstallBeforeARemovalAreNotOffered() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("gone", version: "1.0.0")
        try f.installer.remove("gone")
        try await f.install("gone", version: "2.0.0")
        let lines = try await info(f, "gone")
        #expect(lines.contains("versions: v2 2.0.0 (running); not kept: v1"), "\(lines)")
        #expect(lines.contains("rollback: none (no earlier version with other files is kept)"), "\(lines)")
        #expect(throws: ModuleHostError.nothingToRollBack(module: "gone")) { try f.installer.rollback("gone") }
    }

    @Test func runsOfVersionsNotKeptAreShownAsRanges() {
        #expect(ModuleCommands.runs([1, 2, 3, 5, 7, 8]) == "v1–v3, v5, v7–v8")
        #expect(ModuleCommands.runs([]) == "")
    }
}
