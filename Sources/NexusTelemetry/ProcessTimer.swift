import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// Times whole processes from spawn to a condition: exit, or the first appearance of a text on a
/// pseudo-terminal (the "time to first prompt" a person feels). Used by `nexus bench`.
public enum ProcessTimer {
    /// Milliseconds from posix_spawn to exit, with stdio to /dev/null. nil when it cannot spawn.
    public static func timeToExit(_ argv: [String], environment: [String: String]) -> Double? {
        var options = SpawnOptions.silent
        options.environment = environment
        options.searchPath = true
        let start = now()
        // nil is the documented answer when it cannot spawn.
        guard let pid = try? ChildProcess.spawn(argv, options) else { return nil }
        ChildProcess.wait(pid)
        return (now() - start) * 1000
    }

    /// Milliseconds from spawn until `marker` appears on the child's terminal; the child then gets
    /// `quit` typed and is reaped. nil on failure or after `timeout` seconds.
    public static func timeToOutput(
        _ argv: [String], environment: [String: String], marker: String, quit: String = "\u{04}", timeout: Double = 10
    ) -> Double? {
        guard let pty = PseudoTerminalPair() else { return nil }
        defer { pty.close() }
        let master = pty.master
        var options = pty.childOptions(environment: environment)
        options.searchPath = true
        let markerBytes = Array(marker.utf8)
        let start = now()
        // nil is the documented answer when it cannot spawn.
        guard let pid = try? ChildProcess.spawn(argv, options) else { return nil }
        var seen: [UInt8] = []
        var found: Double?
        var buf = [UInt8](repeating: 0, count: 4096)
        while found == nil && now() - start < timeout {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 || errno == EINTR else { break }
            if p.revents & Int16(POLLIN) != 0 {
                let n = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                seen += buf[0..<n]
                if contains(seen, markerBytes) { found = (now() - start) * 1000 }
            } else if p.revents != 0 {
                break
            }
        }
        var q = quit
        q.withUTF8 { _ = write(master, $0.baseAddress, $0.count) }
        ChildProcess.reap(pid, within: 1)
        return found
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, hay.count >= needle.count else { return needle.isEmpty }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

extension ProcessTimer {
    public static var pidString: String { String(getpid()) }

    /// The first executable named `name` on a PATH string.
    public static func which(_ name: String, path: String) -> String? {
        for dir in path.split(separator: ":") {
            let p = "\(dir)/\(name)"
            if access(p, X_OK) == 0 { return p }
        }
        return nil
    }
}
