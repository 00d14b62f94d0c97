import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The README's 60-second tour, read from README.md and run line by line against a fresh home (`HOME`
/// pointing at a temporary directory, no key set), the way a new user would type it. Lines that need
/// the network or a model (`-p`, `pip install`, a cloud key) or a terminal (the bare TUI) are listed
/// as skipped, by reason; every other line must succeed, or say what it needs and how to get it.
@Suite struct ReadmeTourTests {
    /// The tour block's command lines, comments removed.
    static func tourLines() throws -> [String] {
        let readme = try FileSystem.readText(NexusBinary.packageRoot + "/README.md")
        var lines: [String] = []
        var state = 0  // 0: before the heading, 1: before the block, 2: inside it
        for raw in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            switch state {
            case 0: if raw == "## 60-second tour" { state = 1 }
            case 1: if raw.hasPrefix("```sh") { state = 2 }
            default:
                if raw.hasPrefix("```") { return lines }
                let code = withoutComment(raw)
                if !code.isEmpty { lines.append(code) }
            }
        }
        return lines
    }

    /// The line before its `  # comment`, without surrounding spaces.
    static func withoutComment(_ line: String) -> String {
        let chars = Array(line)
        var end = chars.count
        var i = 0
        while i + 2 < chars.count {
            if chars[i] == " " && chars[i + 1] == " " && chars[i + 2] == "#" {
                end = i
                break
            }
            i += 1
        }
        return String(String(chars[..<end]).drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// Why a line cannot run here, or nil when it can.
    static func skipReason(_ line: String) -> String? {
        if line == "nexus" { return "opens the TUI (needs a terminal; TUITests cover it)" }
        if line.contains(" -p ") { return "asks a model" }
        if line.contains("pip install") { return "downloads from PyPI" }
        return nil
    }

    /// Splits a tour line into words (double quotes group), the way the shell would for these lines.
    static func words(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var any = false
        for c in line {
            if c == "\"" {
                quoted.toggle()
                any = true
            } else if c == " " && !quoted {
                if any { out.append(current) }
                current = ""
                any = false
            } else {
                current.append(c)
                any = true
            }
        }
        if any { out.append(current) }
        return out
    }

    @Test func everyTourLineThatNeedsNoNetworkRunsAsWrittenOnAFreshHome() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let home = TemporaryDirectory(prefix: "nexus-tour")
        defer { home.remove() }
        let env = ["HOME": home.path]
        let lines = try Self.tourLines()
        #expect(lines.count >= 10, "the tour block was not found in README.md")
        var ran: [String] = []
        for line in lines {
            if let reason = Self.skipReason(line) {
                print("tour: skipped \(line): \(reason)")
                continue
            }
            var words = Self.words(line)
            var stdin = ""
            if let pipe = words.firstIndex(of: "|") {  // echo "/cost" | nexus
                stdin = words[1..<pipe].joined(separator: " ") + "\n"
                words = Array(words[(pipe + 1)...])
            }
            guard words.first == "nexus" else {
                print("tour: skipped \(line): not a nexus command")
                continue
            }
            var args = Array(words.dropFirst())
            if args == ["--plain"] { stdin = "/help\n" }
            if args.starts(with: ["creds", "set"]) { stdin = "tour-secret-value-123\n" }
            if args.starts(with: ["modules", "install", "mcp"]) {
                let python = NexusBinary.packageRoot + "/.build/test-venv/bin/python3"
                guard access(python, X_OK) == 0 else {
                    print(
                        "tour: skipped \(line): mcp-server-time is not installed in .build/test-venv (scripts/setup.sh --test)"
                    )
                    continue
                }
                args = args.map { $0 == "/opt/mcp/bin/python3" ? python : $0 }
            }
            let r = NexusBinary.run(args, stdin: stdin, env: env, timeout: 120)
            ran.append(line)
            let said = r.stdout + r.stderr
            if args.first == "doctor" {
                // The doctor's exit status reports what is missing (no model on a fresh home);
                // it must say how to fix it.
                #expect(said.contains("checks:"), "\(line): \(said)")
                continue
            }
            #expect(r.status == 0, "\(line) failed (\(r.status)): \(said)")
            #expect(!said.contains("unknown provider"), "\(line): \(said)")
            if args.starts(with: ["route", "set"]) {
                #expect(said.contains("set ANTHROPIC_API_KEY"), "\(line) does not say what it needs: \(said)")
                let shown = NexusBinary.run(["route"], env: env)
                #expect(shown.stdout.contains("anthropic:claude-sonnet-4-5"))
            }
            if args.starts(with: ["creds", "set"]) {
                let listed = NexusBinary.run(["creds", "list"], env: env)
                #expect(listed.stdout.contains(args[2]) && !listed.stdout.contains("tour-secret-value-123"))
            }
        }
        #expect(ran.count >= 6, "ran only \(ran)")
    }
}
