import NexusCore
import NexusPOSIX
import Synchronization

/// Appends `SandboxAuditRecord` lines to the sandbox audit log as they happen, for the serving nexus to
/// tail (its metrics and traces learn a module's egress from here: the jailer is another process).
///
/// The file is opened once, O_APPEND and close-on-exec (the sandboxed command never inherits it, and no
/// jail mounts nexus's home), and each record is a single write of at most PIPE_BUF bytes, so the lines
/// of many jailers writing at once never interleave. A failed append is not hidden: the first one is
/// reported through `warn` (the jailer's stderr, which lands in the module's log), with the count kept.
public final class SandboxAuditWriter: Sendable {
    public let path: String
    private let fd: Int32
    private let warn: @Sendable (String) -> Void
    private let failures = Atomic<Int>(0)

    /// Opens (creating, 0600) `path` for appending; nil with a warning when it cannot be.
    public init?(path: String, warn: @escaping @Sendable (String) -> Void) {
        let fd = Descriptor.openForAppend(path, mode: 0o600)
        guard fd >= 0 else {
            warn("sandbox audit log \(path): cannot open (\(SystemError.currentText)); this run is not audited")
            return nil
        }
        self.path = path
        self.fd = fd
        self.warn = warn
    }

    deinit { Descriptor.close(fd) }

    /// Appends one proxy decision.
    public func egress(_ r: NetworkRecord, module: String?, mode: SandboxMode, command: [String]) {
        append(SandboxAuditRecord.egressLine(r, module: module, mode: mode, command: command.first ?? ""))
    }

    /// Appends one finished run.
    public func run(
        module: String?, mode: String, outcome: String, exitStatus: Int32?, durationMs: Double,
        command: [String]
    ) {
        append(
            SandboxAuditRecord.runLine(
                module: module, mode: mode, outcome: outcome, exitStatus: exitStatus, durationMs: durationMs,
                command: command.first ?? ""))
    }

    /// Appends lines that failed so far.
    public var failedAppends: Int { failures.load(ordering: .relaxed) }

    func append(_ line: [UInt8]) {
        guard !Descriptor.writeAll(fd, line) else { return }
        let before = failures.add(1, ordering: .relaxed).oldValue
        if before == 0 { warn("sandbox audit log \(path): cannot append (\(SystemError.currentText))") }
    }
}
