import NexusOrchestrator
import NexusREPL
import NexusStore

/// The C libraries linked in, each asked through the one target that owns it.
enum LibraryVersions {
    static func checks() -> [DoctorCheck] {
        [
            DoctorCheck(.ok, "sqlite", SQLiteInfo.version),
            DoctorCheck(.ok, "libedit", LineEditorInfo.version),
        ]
    }
}
