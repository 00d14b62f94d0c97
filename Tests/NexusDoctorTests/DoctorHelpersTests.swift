import NexusTesting
import Testing

@testable import NexusDoctor

/// `nexus doctor` says when an executable nexus runs beside itself is missing, what will not work, and the fix.
@Suite struct DoctorHelpersTests {
    @Test func aMissingAdminFrontIsAWarningNamingWhatWillNotRunAndTheFix() throws {
        let dir = TemporaryDirectory(prefix: "doctor-helpers")
        _ = dir.write("nexus-yaml", "#!/bin/sh\n", mode: 0o755)
        let check = Doctor.helperCheck(folder: dir.path)
        #expect(check.status == .warn)
        #expect(check.detail.contains("nexus-admin is missing") && check.detail.contains("admin API"))
        #expect(!check.detail.contains("nexus-yaml is missing"))
        #expect(check.fix?.contains("make release") == true)
        _ = dir.write("nexus-admin", "#!/bin/sh\n", mode: 0o755)
        #expect(Doctor.helperCheck(folder: dir.path).status == .ok)
    }
}
