import NexusCore
import NexusOrchestrator

/// Doctor checks that need the lower layers: provider reachability, C library versions, sandbox tier.
enum SystemChecks {
    static func run(_ ctx: NexusContext) async -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        out += LibraryVersions.checks()
        return out
    }
}
