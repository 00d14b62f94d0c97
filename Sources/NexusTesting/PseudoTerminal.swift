import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

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
        let pid: pid_t
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
        var exited = false
        var status: Int32 = 0
        while now() - start < timeout {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 50)
            if p.revents & Int16(POLLIN) != 0 {
                let n = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n > 0 { out += buf[0..<n] }
            }
            let text = String(decoding: out, as: UTF8.self)
            if !saw, text.contains(marker) { saw = true }
            if saw, let next = pending.first {
                pending = pending.dropFirst()
                var s = next
                s.withUTF8 { _ = write(master, $0.baseAddress, $0.count) }
            }
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                break
            }
        }
        if !exited {
            kill(pid, SIGKILL)
            status = ChildProcess.wait(pid).raw
        }
        return Result(
            output: String(decoding: out, as: UTF8.self), sawMarker: saw, status: WaitStatus(raw: status).shellCode)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
