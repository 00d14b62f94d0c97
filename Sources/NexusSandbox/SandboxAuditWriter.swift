import NexusCore
import NexusPOSIX
import Synchronization

/// Appends `SandboxAuditRecord` lines to the sandbox audit log as they happen, for the serving nexus to
/// tail (its metrics and traces learn a module's egress from here: the jailer is another process).
///
/// The file is opened O_APPEND and close-on-exec (the sandboxed command never inherits it, and no jail
/// mounts nexus's home), and each record is a single write of at most PIPE_BUF bytes, so the lines of many
/// jailers writing at once never interleave. A failed append is not hidden: the first one is reported
/// through `warn` (the jailer's stderr, which lands in the module's log), with the count kept.
///
/// The log never grows past `maxBytes` by more than one line: the writer whose line would pass it moves the
/// file to `.1` (replacing the older `.1`) under `<path>.lock`, so of many jailers only one rotates, and a
/// writer whose file was moved by another follows the path to the new file before its next line. A line is
/// never lost to rotation: when the lock or the move fails, the writer keeps appending where it was.
public final class SandboxAuditWriter: Sendable {
    public let path: String
    public let maxBytes: Int
    private let fd: Mutex<Int32>
    private let warn: @Sendable (String) -> Void
    private let failures = Atomic<Int>(0)
    private let rotationWarned = Atomic<Bool>(false)

    /// Opens (creating, 0600) `path` for appending; nil with a warning when it cannot be.
    public init?(path: String, maxBytes: Int = 8 << 20, warn: @escaping @Sendable (String) -> Void) {
        let fd = Descriptor.openForAppend(path, mode: 0o600)
        guard fd >= 0 else {
            warn("sandbox audit log \(path): cannot open (\(SystemError.currentText)); this run is not audited")
            return nil
        }
        self.path = path
        self.maxBytes = max(maxBytes, 4096)
        self.fd = Mutex(fd)
        self.warn = warn
    }

    deinit { fd.withLock { Descriptor.close($0) } }

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
        let written = fd.withLock { fd -> Bool in
            follow(&fd)
            if let size = Descriptor.size(fd), size > 0, size + line.count > maxBytes { rotate(&fd) }
            return Descriptor.writeAll(fd, line)
        }
        guard !written else { return }
        let before = failures.add(1, ordering: .relaxed).oldValue
        if before == 0 { warn("sandbox audit log \(path): cannot append (\(SystemError.currentText))") }
    }

    /// Reopens `path` when it no longer names the open file (another jailer rotated it, or it was removed).
    private func follow(_ fd: inout Int32) {
        guard FileIdentity.of(path) != FileIdentity.of(descriptor: fd) else { return }
        reopen(&fd)
    }

    /// Moves the full log to `.1` and starts a new one, unless another writer did while this one waited.
    private func rotate(_ fd: inout Int32) {
        let lock: FileLock
        do {
            lock = try FileLock(path: path + ".lock")
        } catch {
            warnRotation("cannot lock \(path).lock (\(error.reason)); appending past \(maxBytes) bytes")
            return
        }
        defer { lock.release() }
        if FileIdentity.of(path) == FileIdentity.of(descriptor: fd) {
            guard FileSystem.rename(path, to: path + ".1") else {
                warnRotation("cannot move it to .1 (\(SystemError.currentText)); appending past \(maxBytes) bytes")
                return
            }
        }
        reopen(&fd)
    }

    /// Opens the file `path` names now; on failure keeps writing to the open one, so no line is lost.
    private func reopen(_ fd: inout Int32) {
        let fresh = Descriptor.openForAppend(path, mode: 0o600)
        guard fresh >= 0 else {
            warnRotation("cannot open the new file (\(SystemError.currentText)); appending to the old one")
            return
        }
        Descriptor.close(fd)
        fd = fresh
    }

    private func warnRotation(_ text: String) {
        guard !rotationWarned.exchange(true, ordering: .relaxed) else { return }
        warn("sandbox audit log \(path): \(text)")
    }
}
