#if canImport(Glibc)
    import Glibc
#endif

/// Times whole processes from spawn to a condition: exit, or the first appearance of a text on a
/// pseudo-terminal (the "time to first prompt" a person feels). Used by `nexus bench`.
public enum ProcessTimer {
    /// Milliseconds from posix_spawn to exit, with stdio to /dev/null. nil when it cannot spawn.
    public static func timeToExit(_ argv: [String], environment: [String: String]) -> Double? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        return withCStrings(argv, environment) { args, env in
            let start = now()
            var pid: pid_t = 0
            guard posix_spawnp(&pid, argv[0], &actions, nil, args, env) == 0 else { return nil }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (now() - start) * 1000
        }
    }

    /// Milliseconds from spawn until `marker` appears on the child's terminal; the child then gets
    /// `quit` typed and is reaped. nil on failure or after `timeout` seconds.
    public static func timeToOutput(
        _ argv: [String], environment: [String: String], marker: String, quit: String = "\u{04}", timeout: Double = 10
    ) -> Double? {
        // posix_openpt/grantpt/ptsname need _XOPEN_SOURCE; the ioctls they wrap do not.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { return nil }
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0, ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0 else {
            return nil
        }
        let slavePath = "/dev/pts/\(number)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, 0x80)  // POSIX_SPAWN_SETSID
        let markerBytes = Array(marker.utf8)
        return withCStrings(argv, environment) { args, env -> Double? in
            let start = now()
            var pid: pid_t = 0
            guard posix_spawnp(&pid, argv[0], &actions, &attr, args, env) == 0 else { return nil }
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
            var status: Int32 = 0
            for _ in 0..<50 {
                if waitpid(pid, &status, WNOHANG) == pid { return found }
                usleep(20_000)
            }
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            return found
        }
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

    static func withCStrings<T>(
        _ argv: [String], _ env: [String: String],
        _ body: ([UnsafeMutablePointer<CChar>?], [UnsafeMutablePointer<CChar>?]) -> T
    ) -> T {
        let a: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let e: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in a { free(p) }
            for p in e { free(p) }
        }
        return body(a, e)
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
