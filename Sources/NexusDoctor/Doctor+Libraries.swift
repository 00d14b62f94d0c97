import NexusCore
import NexusLLM
import NexusOrchestrator
import NexusREPL
import NexusStore
import NexusTUI
import NexusVault

/// The C libraries nexus uses, each asked through the one target that owns it.
extension Doctor {
    static func libraryChecks() -> [DoctorCheck] {
        [
            DoctorCheck(
                .ok, "libraries",
                [SQLiteInfo.version, SodiumInfo.version, CursesInfo.version, LineEditorInfo.version].joined(
                    separator: ", ")),
            http(),
        ]
    }

    /// libcurl is loaded on first use, not linked: loading it here is the check.
    private static func http() -> DoctorCheck {
        switch CurlInfo.version {
        case .success(let line): DoctorCheck(.ok, "http", line)
        case .failure(let error): DoctorCheck(.fail, "http", error.summary, fix: error.fix)
        }
    }
}
