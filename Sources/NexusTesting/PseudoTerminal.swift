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
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { return Result(output: "no /dev/ptmx", sawMarker: false, status: -1) }
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        _ = ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock)
        _ = ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number)
        let slave = "/dev/pts/\(number)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, slave, O_RDWR, 0) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, 0x80)  // POSIX_SPAWN_SETSID
        let a: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let e: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in a { free(p) }
            for p in e { free(p) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, &attr, a, e) == 0 else {
            return Result(output: "spawn failed", sawMarker: false, status: -1)
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
            waitpid(pid, &status, 0)
        }
        return Result(output: String(decoding: out, as: UTF8.self), sawMarker: saw, status: (status >> 8) & 0xff)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
