import NexusLLM
import NexusOrchestrator
import NexusREPL
import NexusStore
import NexusTUI
import NexusVault

/// The C libraries linked in, each asked through the one target that owns it.
enum LibraryVersions {
    static func checks() -> [DoctorCheck] {
        [
            DoctorCheck(.ok, "libraries", [SQLiteInfo.version, SodiumInfo.version, CursesInfo.version, LineEditorInfo.version].joined(separator: ", ")),
            DoctorCheck(.ok, "http", CurlInfo.version),
        ]
    }
}
