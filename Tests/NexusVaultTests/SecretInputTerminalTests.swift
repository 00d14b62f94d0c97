import NexusCore
import NexusStore
import NexusVault
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus creds set` on a real pseudo-terminal: the typed value is stored and never echoed.
@Suite struct SecretInputTerminalTests {
    @Test func aValueTypedOnATerminalIsNotEchoed() throws {
        guard access(RotationCrashTests.binary, X_OK) == 0 else {
            print("skipped: \(RotationCrashTests.binary) is missing; run `swift build` first")
            return
        }
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        // A pseudo-terminal pair, the Linux way: /dev/ptmx, unlock, and ask for the pts number.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        try #require(ioctl(master, UInt(0x4004_5431) /* TIOCSPTLCK */, &unlock) == 0)
        try #require(ioctl(master, UInt(0x8004_5430) /* TIOCGPTN */, &number) == 0)
        let slavePath = "/dev/pts/\(number)"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
        let args = [
            RotationCrashTests.binary, "creds", "set", "tty", "typed", "--force", "--home", f.home, "--config",
            f.configDir + "/nexus.toml",
        ]
        let envStrings = ["PATH=/usr/bin:/bin", "HOME=" + f.dir.path]
        let cArgs = args.map { strdup($0) } + [nil]
        let cEnv = envStrings.map { strdup($0) } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, RotationCrashTests.binary, &actions, nil, cArgs, cEnv) == 0)

        var output = ""
        func readAvailable(timeoutMs: Int32) -> Bool {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, timeoutMs) > 0 else { return false }
            var buf = [UInt8](repeating: 0, count: 4096)
            let n = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            output += String(decoding: buf[0..<n], as: UTF8.self)
            return true
        }
        // Wait for the prompt (echo is off from then on), type, and collect everything shown.
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while !output.contains("Value for tty/typed: ") && MonotonicClock.nanoseconds() < deadline {
            _ = readAvailable(timeoutMs: 100)
        }
        let typed = "typed-on-a-terminal-42\n"
        _ = typed.withCString { write(master, $0, strlen($0)) }
        while readAvailable(timeoutMs: 500) {}
        var status: Int32 = 0
        let exitDeadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while waitpid(pid, &status, WNOHANG) == 0 {
            if MonotonicClock.nanoseconds() > exitDeadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                Issue.record("nexus creds set did not finish after the value was typed; output: \(output)")
                return
            }
            usleep(10_000)
        }

        #expect((status >> 8) & 0xFF == 0, "output: \(output)")
        #expect(output.contains("stored tty/typed"))
        #expect(!output.contains("typed-on-a-terminal-42"), "the value was echoed: \(output)")
        let store = try f.open(try f.database())
        #expect(
            try store.get(module: "tty", name: "typed", actor: .user(command: "t"))
                == Array("typed-on-a-terminal-42".utf8))
    }
}
