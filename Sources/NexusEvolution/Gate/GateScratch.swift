import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// A private scratch directory for one gate run: `work/` and `proto/` are copies of the module folder
/// (each sandbox run's only workspace) and `out/` holds what the runs printed, out of the module's reach.
struct GateScratch: Sendable {
    let root: String
    var workspace: String { root + "/work" }
    /// A second copy for the protocol check, which runs beside the tests: neither run can touch the other's.
    var protocolWorkspace: String { root + "/proto" }
    var output: String { root + "/out" }

    static func make(in parent: String) throws(GateError) -> GateScratch {
        var template = Array((parent + "/nexus-gate-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw .scratch("mkdtemp in \(parent): \(String(cString: strerror(errno)))") }
        let root = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let scratch = GateScratch(root: root)
        guard mkdir(scratch.output, 0o700) == 0 else {
            throw .scratch("mkdir \(scratch.output): \(String(cString: strerror(errno)))")
        }
        return scratch
    }
}
