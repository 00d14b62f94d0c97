import NexusCore
import NexusPOSIX

extension PseudoTerminal {
    /// One exchange with a program on a terminal: wait until `waitFor` has appeared (since the previous
    /// step's text; an empty one waits for nothing), then type `type` (a control key as its byte: "\u{03}" is
    /// Ctrl-C).
    public struct Step: Sendable {
        public var waitFor: String
        public var type: String
        public init(waitFor: String, type: String) {
            self.waitFor = waitFor
            self.type = type
        }
    }

    /// Runs `argv` on a fresh pseudo-terminal and plays `steps` in order, each waiting for its own marker
    /// in what was drawn after the previous step typed. `sawMarker` is true when every step's marker came.
    public static func run(_ argv: [String], environment: [String: String], steps: [Step], timeout: Double = 20)
        -> Result
    {
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
        var searchFrom = 0
        var pending = steps[...]
        var buf = [UInt8](repeating: 0, count: 4096)
        var ended: WaitStatus?
        let start = now()
        while now() - start < timeout {
            if Descriptor.isReadable(master, timeoutMs: 20) {
                let n = Descriptor.read(master, into: &buf)
                if n > 0 { out += buf[0..<n] }
            }
            if let step = pending.first {
                let seen = String(decoding: out[searchFrom...], as: UTF8.self)
                if step.waitFor.isEmpty || seen.contains(step.waitFor) {
                    pending = pending.dropFirst()
                    searchFrom = out.count
                    Descriptor.writeAll(master, Array(step.type.utf8))
                }
            }
            if let status = ChildProcess.exitedStatus(pid) {
                ended = status
                break
            }
        }
        // What is still buffered after the exit.
        while Descriptor.isReadable(master, timeoutMs: 20) {
            let n = Descriptor.read(master, into: &buf)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        if ended == nil {
            ProcessControl.send(.kill, to: pid)
            ended = ChildProcess.wait(pid)
        }
        return Result(
            output: String(decoding: out, as: UTF8.self), sawMarker: pending.isEmpty, status: ended?.shellCode ?? -1)
    }
}
