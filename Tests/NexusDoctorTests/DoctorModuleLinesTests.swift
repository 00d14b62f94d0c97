import NexusCore
import NexusModules
import Testing

@testable import NexusDoctor

/// `nexus doctor` names a module whose server is a 1.x one crashing under mcp 2.x, and only that one.
@Suite struct DoctorModuleLinesTests {
    static func record(_ name: String, _ lastError: String?, state: ModuleRecord.State = .enabled) -> ModuleRecord {
        ModuleRecord(
            name: name, category: "mcp", version: "1.0.0", state: state, path: "/m/\(name)", sha256: "x",
            source: "mcp:x",
            health: lastError == nil ? .healthy : .failing, lastError: lastError)
    }

    @Test func aServerCrashingUnderMcp2GetsItsOwnDoctorLineWithTheWayOut() {
        let crashed =
            "module sqlite: process ended (exit status 1) during the handshake; "
            + "this server is incompatible with mcp 2.x: install it with mcp<2; stderr: AttributeError: "
            + "'Server' object has no attribute 'list_resources'"
        let checks = Doctor.moduleCompatibilityChecks([
            Self.record("sqlite", crashed), Self.record("time", nil),
            Self.record(
                "git", "module git: process ended (exit status 1) during the handshake; stderr: does not exist"),
            Self.record("old", crashed, state: .disabled),
        ])
        #expect(checks.count == 1)
        #expect(checks.first?.status == .warn)
        #expect(checks.first?.detail == "sqlite: this server is incompatible with mcp 2.x: install it with mcp<2")
        #expect(checks.first?.fix?.contains("nexus modules test sqlite") == true)
    }
}
