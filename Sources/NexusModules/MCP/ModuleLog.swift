import NexusCore
import NexusStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A module's log file (`logs/modules/<name>.log`): its stderr and what nexus noticed about its stdout.
///
/// Appends only; rotated once to `.1` when it passes `maxBytes` at open. Keeps the last few hundred
/// bytes of stderr in memory so an error can quote the module's last words.
public final class ModuleLog: Sendable {
    public let path: String?
    private let fd: Int32
    private let tail = Mutex<[UInt8]>([])
    private static let tailBytes = 600

    /// Opens (creating) the log at `path`; nil writes nowhere but still keeps the tail.
    public init(path: String?, maxBytes: Int = 4 << 20) {
        self.path = path
        guard let path else {
            fd = -1
            return
        }
        if let slash = path.lastIndex(of: "/") { try? FileSystem.ensureDirectory(String(path[..<slash]), mode: 0o700) }
        var st = stat()
        if stat(path, &st) == 0, Int(st.st_size) > maxBytes { rename(path, path + ".1") }
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Bytes the module wrote to stderr.
    func stderr(_ bytes: ArraySlice<UInt8>) {
        write(Array(bytes))
        tail.withLock { t in
            t.append(contentsOf: bytes)
            if t.count > Self.tailBytes { t.removeFirst(t.count - Self.tailBytes) }
        }
    }

    /// A line from nexus about the module (`nexus: ...`).
    public func note(_ line: String) {
        write(Array("[nexus \(Int(WallClock.now()))] \(line)\n".utf8))
    }

    /// The last stderr output, trimmed to one line for messages.
    public var stderrTail: String {
        let t = tail.withLock { $0 }
        let s = String(decoding: t, as: UTF8.self)
        let lines = s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).filter { !$0.isEmpty }
        return lines.suffix(2).joined(separator: " | ")
    }

    private func write(_ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = Glibc.write(fd, base, raw.count)
        }
    }
}
