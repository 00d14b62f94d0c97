import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `nexus` inside a private tmux server at a fixed size, types into it and reads
/// the screen back (`capture-pane`), as a person at a terminal would. Each harness has its own
/// tmux socket, so tests never touch anyone else's tmux.
struct TUIHarness {
    let socket: String
    let dir: TemporaryDirectory
    static let session = "nexus"

    /// The debug binary next to this package, or `NEXUS_BINARY`.
    static var binary: String {
        if let p = getenv("NEXUS_BINARY") { return String(cString: p) }
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir + "/.build/debug/nexus"
    }

    /// The test-support fake model server built beside the binary.
    static var fakeProviderBinary: String {
        String(binary[..<(binary.lastIndex(of: "/") ?? binary.startIndex)]) + "/nexus-fake-provider"
    }

    static var tmuxAvailable: Bool { shell("command -v tmux >/dev/null 2>&1").status == 0 }

    /// Starts `script` (a shell script body) in a new tmux session of `width` x `height`.
    init(width: Int, height: Int, script: String, dir: TemporaryDirectory) {
        self.dir = dir
        socket = "nexus-tui-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let path = dir.write("run-\(socket).sh", "#!/bin/sh\n" + script + "\n", mode: 0o755)
        _ = Self.shell(
            "tmux -u -L \(socket) -f /dev/null new-session -d -s \(Self.session) -x \(width) -y \(height) \(Self.quote(path))"
                + " && tmux -L \(socket) set-option -g status off >/dev/null")
    }

    func tmux(_ args: String) -> String { Self.shell("tmux -L \(socket) \(args)").output }

    /// The screen as text, one line per row.
    func screen() -> String { tmux("capture-pane -p -t \(Self.session)") }

    /// Types literal text (no key names interpreted).
    func type(_ text: String) { _ = tmux("send-keys -t \(Self.session) -l \(Self.quote(text))") }

    /// Presses keys by tmux name: Enter, C-c, C-d, Tab, PageUp, Escape, ...
    func press(_ keys: String...) { _ = tmux("send-keys -t \(Self.session) \(keys.joined(separator: " "))") }

    func resize(width: Int, height: Int) { _ = tmux("resize-window -t \(Self.session) -x \(width) -y \(height)") }

    /// True while the program inside is on the alternate screen (curses is up).
    var alternateScreen: Bool { tmux("display -p -t \(Self.session) '#{alternate_on}'").hasPrefix("1") }

    /// Polls the screen until `predicate` holds or `seconds` pass; returns the last screen seen.
    @discardableResult
    func waitFor(_ seconds: Double = 10, _ predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Double(clockMs()) + seconds * 1000
        var s = screen()
        while !predicate(s) {
            if Double(clockMs()) > deadline { return (false, s) }
            usleep(30_000)
            s = screen()
        }
        return (true, s)
    }

    func stop() { _ = tmux("kill-server") }

    func clockMs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }

    static func quote(_ s: String) -> String { "'" + s.replacing("'", with: "'\\''") + "'" }

    /// Runs `sh -c command`, returning its exit status and stdout.
    static func shell(_ command: String) -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return (-1, "") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        // Only fd 1 may hold the pipe, or background children keep it open.
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        for a in argv { free(a) }
        posix_spawn_file_actions_destroy(&actions)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            return (-1, "")
        }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return ((status >> 8) & 0xFF, String(decoding: out, as: UTF8.self))
    }
}

/// A fake OpenAI-compatible provider run out of process (`nexus-fake-provider`, the test-support
/// executable built beside `nexus`), and the nexus.toml that routes every task type to it.
struct FakeProviderProcess {
    let pid: pid_t
    let baseURL: String

    /// Starts the fake provider with `scriptJSON` (FakeScript format); nil when it does not start.
    static func start(scriptJSON: String, dir: TemporaryDirectory) -> FakeProviderProcess? {
        let script = dir.write("fake-script.json", scriptJSON)
        let out = dir.path + "/fake-provider.out"
        let r = TUIHarness.shell(
            "\(TUIHarness.quote(TUIHarness.fakeProviderBinary)) --protocol openai --script \(TUIHarness.quote(script))"
                + " > \(TUIHarness.quote(out)) 2>&1 & echo $!")
        guard let pid = pid_t(r.output.trimmingCharacters(in: " \n")) else { return nil }
        for _ in 0..<200 {
            let text = TUIHarness.shell("cat \(TUIHarness.quote(out)) 2>/dev/null").output
            var listening: String?
            var base: String?
            for line in text.split(separator: "\n") {
                if line.hasPrefix("listening on ") { listening = String(line.dropFirst("listening on ".count)) }
                if line.hasPrefix("base_url ") { base = String(line.dropFirst("base_url ".count)) }
            }
            if let listening { return FakeProviderProcess(pid: pid, baseURL: base ?? listening + "/v1") }
            if kill(pid, 0) != 0 || text.contains("rror") || text.contains("sage:") { return nil }  // no such command
            usleep(25_000)
        }
        kill(pid, SIGKILL)
        return nil
    }

    /// SIGKILL: the test runner's threads may block SIGTERM, and a spawned child inherits the mask.
    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }

    /// A config that sends every task type to the fake model.
    func config() -> String {
        let tasks = [
            "code_generation", "test_validation", "classification", "complex_reasoning", "simple_query", "google_api",
            "build_module",
        ]
        return """
            [providers.fake]
            kind = "openai"
            base_url = "\(baseURL)"

            [routing]
            \(tasks.map { "\($0) = \"fake:fake-model\"" }.joined(separator: "\n"))
            """
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
