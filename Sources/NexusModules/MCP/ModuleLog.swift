import NexusCore
import NexusPOSIX
import NexusStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A module's log file (`logs/modules/<name>.log`): its stderr and what nexus noticed about its stdout.
///
/// Appends only, and never grows past `maxBytes`: a write that would pass it first moves the file to
/// `.1` (replacing the older `.1`, whose lines are dropped, and the new file says so in its first line).
/// So a module that floods stderr costs at most twice the limit on disk and keeps its newest output,
/// and reading its stderr never stops. Keeps the last few hundred bytes of stderr in memory so an
/// error can quote the module's last words.
///
/// With a `redact` function (the vault's redactor) nothing reaches the file or the tail unredacted:
/// stderr is buffered to whole lines first, so a secret the module writes in pieces is still caught.
/// A line longer than `maxPendingBytes` is written in parts, redacted with the carry-over window of
/// `scrubber` (`redactSettled`): the raw tail a secret could still be completing stays buffered, so a
/// part boundary never splits a secret.
public final class ModuleLog: Sendable {
    public let path: String?
    public let maxBytes: Int
    private let file: Mutex<File>
    private let redact: (@Sendable (String) -> String)?
    private let scrubber: (any SecretScrubber)?
    private let state = Mutex(Buffers())
    private static let tailBytes = 600
    static let maxPendingBytes = 64 << 10

    /// Stderr not yet written (an unfinished line, only when redacting) and the last words kept.
    private struct Buffers {
        var pending: [UInt8] = []
        var tail: [UInt8] = []
    }

    /// The open file and how many bytes it holds.
    private struct File {
        var fd: Int32 = -1
        var size = 0
    }

    /// Opens (creating) the log at `path`; nil writes nowhere but still keeps the tail. `redact`, when
    /// given, is applied to every line before it is written or kept.
    public init(
        path: String?, maxBytes: Int = 4 << 20, redact: (@Sendable (String) -> String)? = nil,
        scrubber: (any SecretScrubber)? = nil
    ) {
        self.path = path
        self.maxBytes = max(maxBytes, 4096)
        if let redact {
            self.redact = redact
        } else if let scrubber {
            self.redact = { @Sendable text in scrubber.redact(text) }
        } else {
            self.redact = nil
        }
        self.scrubber = scrubber
        guard let path else {
            file = Mutex(File())
            return
        }
        // prepareHome makes the logs folder (and fails loudly); a folder that cannot be made shows as the open below failing.
        if let slash = path.lastIndex(of: "/") { try? FileSystem.ensureDirectory(String(path[..<slash]), mode: 0o700) }
        var st = stat()
        if stat(path, &st) == 0, Int(st.st_size) > maxBytes { rename(path, path + ".1") }
        file = Mutex(Self.open(path))
    }

    deinit {
        flushStderr()
        file.withLock { f in if f.fd >= 0 { close(f.fd) } }
    }

    private static func open(_ path: String) -> File {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        var st = stat()
        return File(fd: fd, size: fd >= 0 && fstat(fd, &st) == 0 ? Int(st.st_size) : 0)
    }

    /// Bytes the module wrote to stderr.
    func stderr(_ bytes: ArraySlice<UInt8>) {
        guard let redact else {
            write(Array(bytes))
            keep(bytes)
            return
        }
        state.withLock { s in
            s.pending.append(contentsOf: bytes)
            let cut = s.pending.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            var clean: [UInt8]
            if cut > 0 {
                clean = Array(redact(String(decoding: s.pending[..<cut], as: UTF8.self)).utf8)
                s.pending.removeFirst(cut)
            } else if s.pending.count > Self.maxPendingBytes {
                clean = settledPart(of: &s.pending, redact: redact)
            } else {
                return
            }
            write(clean)
            Self.append(clean[...], to: &s.tail)
        }
    }

    /// The redacted part of an over-long unfinished line that no later byte can change; the rest (the
    /// carry-over window, and an unfinished UTF-8 character) stays in `pending`. Without a scrubber the
    /// whole buffer is redacted and written (a secret across the cut could then pass).
    private func settledPart(of pending: inout [UInt8], redact: (String) -> String) -> [UInt8] {
        var end = pending.count
        var back = 0
        while back < 3, end > 0, pending[end - 1] & 0xC0 == 0x80 {
            end -= 1
            back += 1
        }
        if end > 0, pending[end - 1] >= 0xC0 { end -= 1 }  // the lead byte of the unfinished character
        guard let scrubber else {
            let clean = Array(redact(String(decoding: pending, as: UTF8.self)).utf8)
            pending.removeAll()
            return clean
        }
        let (settled, held) = scrubber.redactSettled(String(decoding: pending[..<end], as: UTF8.self))
        pending = Array(held.utf8) + pending[end...]
        return Array(settled.utf8)
    }

    /// Writes an unfinished last line of stderr (when the stream ends).
    func flushStderr() {
        guard let redact else { return }
        state.withLock { s in
            guard !s.pending.isEmpty else { return }
            let clean = Array(redact(String(decoding: s.pending, as: UTF8.self)).utf8)
            s.pending.removeAll()
            write(clean)
            Self.append(clean[...], to: &s.tail)
        }
    }

    /// A line from nexus about the module (`nexus: ...`).
    public func note(_ line: String) {
        write(Array("[nexus \(Int(WallClock.now()))] \(redact?(line) ?? line)\n".utf8))
    }

    private func keep(_ bytes: ArraySlice<UInt8>) {
        state.withLock { s in Self.append(bytes, to: &s.tail) }
    }

    private static func append(_ bytes: ArraySlice<UInt8>, to tail: inout [UInt8]) {
        tail.append(contentsOf: bytes)
        if tail.count > tailBytes { tail.removeFirst(tail.count - tailBytes) }
    }

    /// The last stderr output, trimmed to one line for messages.
    public var stderrTail: String {
        let t = state.withLock { $0.tail }
        let s = String(decoding: t, as: UTF8.self)
        let lines = s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).filter { !$0.isEmpty }
        return lines.suffix(2).joined(separator: " | ")
    }

    private func write(_ bytes: [UInt8]) {
        guard let path else { return }
        file.withLock { f in
            var bytes = bytes[...]
            if f.size + bytes.count > maxBytes && f.size > 0 {
                let dropping = access(path + ".1", F_OK) == 0
                if f.fd >= 0 { close(f.fd) }
                rename(path, path + ".1")
                f = Self.open(path)
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let older = dropping ? "; older output dropped" : ""
                Self.emit(
                    Array(
                        "[nexus \(Int(WallClock.now()))] log passed \(maxBytes) bytes: earlier lines are in \(name).1\(older)\n"
                            .utf8)[...], to: &f)
            }
            // One write larger than the whole budget keeps its newest part.
            if bytes.count > maxBytes - f.size { bytes = bytes.suffix(max(0, maxBytes - f.size)) }
            Self.emit(bytes, to: &f)
        }
    }

    private static func emit(_ bytes: ArraySlice<UInt8>, to f: inout File) {
        guard f.fd >= 0 else { return }
        let n = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return Glibc.write(f.fd, base, raw.count)
        }
        if n > 0 { f.size += n }
    }
}
