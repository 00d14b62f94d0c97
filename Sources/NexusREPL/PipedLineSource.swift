import NexusPOSIX
import Synchronization

/// Reads newline-separated lines from a file descriptor (stdin when piped).
///
/// Bytes are read in blocks and split on `\n`; a trailing `\r` is dropped; invalid UTF-8 is
/// replaced (U+FFFD) rather than rejected, so a stray byte never ends a script. Lines longer than
/// `maxLine` are cut there and the rest of that line discarded, with a warning on stderr.
public final class PipedLineSource: LineSource {
    private struct State {
        var buffer: [UInt8] = []
        var eof = false
    }
    private let fd: Int32
    private let state = Mutex(State())
    public let maxLine: Int

    public init(fd: Int32 = 0, maxLine: Int = 4 << 20) {
        self.fd = fd
        self.maxLine = maxLine
    }

    public func readLine(prompt: String) async -> String? {
        await DetachedThread.run { [self] in self.nextLine() }
    }

    public func readSecret(prompt: String) async -> String? { await readLine(prompt: prompt) }

    public func close() {}

    public func unread(_ line: String) {
        state.withLock { $0.buffer.insert(contentsOf: Array(line.utf8) + [0x0A], at: 0) }
    }

    func nextLine() -> String? {
        state.withLock { s -> String? in
            var discarding = false
            while true {
                if let nl = s.buffer.firstIndex(of: 0x0A) {
                    var line = Array(s.buffer[..<nl])
                    s.buffer.removeSubrange(...nl)
                    if discarding {
                        discarding = false
                        continue
                    }
                    if line.last == 0x0D { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                if s.buffer.count > maxLine {
                    let line = Array(s.buffer[..<maxLine])
                    s.buffer.removeAll(keepingCapacity: true)
                    if !discarding {
                        discarding = true
                        let msg = "nexus: warning: input line longer than \(maxLine) bytes was cut\n"
                        Descriptor.writeAll(2, Array(msg.utf8))
                        // Keep reading to the end of this line, then return its head.
                        while !s.eof, !s.buffer.contains(0x0A) { fill(&s) }
                        if let nl = s.buffer.firstIndex(of: 0x0A) { s.buffer.removeSubrange(...nl) }
                        discarding = false
                        return String(decoding: line, as: UTF8.self)
                    }
                }
                if s.eof {
                    if s.buffer.isEmpty { return nil }
                    let line = s.buffer
                    s.buffer.removeAll()
                    return String(decoding: line, as: UTF8.self)
                }
                fill(&s)
            }
        }
    }

    private func fill(_ s: inout State) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = Descriptor.read(fd, into: &chunk)
        if n > 0 {
            s.buffer.append(contentsOf: chunk[0..<n])
        } else {
            s.eof = true
        }
    }
}

extension PipedLineSource {
    /// Everything left on the descriptor, minus one trailing newline (`-p -`).
    public func readAll() async -> String {
        var lines: [String] = []
        while let l = await readLine(prompt: "") { lines.append(l) }
        return lines.joined(separator: "\n")
    }
}
