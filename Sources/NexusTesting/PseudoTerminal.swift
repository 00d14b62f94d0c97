import NexusCore
import NexusPOSIX

/// Runs a program on a fresh pseudo-terminal, waits for a marker, types lines, and collects what
/// was drawn: "a person at a terminal" for end-to-end tests.
public enum PseudoTerminal {
    public struct Result: Sendable {
        public var output: String
        public var sawMarker: Bool
        public var status: Int32
    }

    public static func run(
        _ argv: [String], environment: [String: String], typing: [String], waitFor marker: String, timeout: Double = 15
    ) -> Result {
        guard let pty = PseudoTerminalPair() else {
            return Result(output: "no /dev/ptmx", sawMarker: false, status: -1)
        }
        defer { pty.close() }
        let master = pty.master
        let pid: Int32
        do {
            pid = try ChildProcess.spawn(argv, pty.childOptions(environment: environment))
        } catch {
            return Result(output: error.description, sawMarker: false, status: -1)
        }
        var out: [UInt8] = []
        var saw = false
        let start = now()
        var pending = typing[...]
        var buf = [UInt8](repeating: 0, count: 4096)
        var ended: WaitStatus?
        while now() - start < timeout {
            if Descriptor.isReadable(master, timeoutMs: 50) {
                let n = Descriptor.read(master, into: &buf)
                if n > 0 { out += buf[0..<n] }
            }
            let text = String(decoding: out, as: UTF8.self)
            if !saw, text.contains(marker) { saw = true }
            if saw, let next = pending.first {
                pending = pending.dropFirst()
                Descriptor.writeAll(master, Array(next.utf8))
            }
            if let status = ChildProcess.exitedStatus(pid) {
                ended = status
                break
            }
        }
        if ended == nil {
            ProcessControl.send(.kill, to: pid)
            ended = ChildProcess.wait(pid)
        }
        return Result(
            output: String(decoding: out, as: UTF8.self), sawMarker: saw, status: ended?.shellCode ?? -1)
    }

    static func now() -> Double { Double(MonotonicClock.nanoseconds()) / 1e9 }
}
