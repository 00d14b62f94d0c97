import NexusPOSIX
import NexusStore

/// A private scratch directory for one gate run: `work/` and `proto/` are copies of the module folder
/// (each sandbox run's only workspace) and `out/` holds what the runs printed, out of the module's reach.
struct GateScratch: Sendable {
    let root: String
    var workspace: String { root + "/work" }
    /// A second copy for the protocol check, which runs beside the tests: neither run can touch the other's.
    var protocolWorkspace: String { root + "/proto" }
    var output: String { root + "/out" }

    static func make(in parent: String) throws(GateError) -> GateScratch {
        do {
            let scratch = GateScratch(root: try FileSystem.makeUniqueDirectory(in: parent, prefix: "nexus-gate-"))
            try FileSystem.createDirectory(scratch.output, mode: 0o700)
            return scratch
        } catch {
            throw .scratch(error.userMessage)
        }
    }
}
