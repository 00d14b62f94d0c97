import Glibc
import NexusCore
import NexusSandbox
import Testing

/// Runs every program in testdata/hostile through the built binary under each mode it lists and checks
/// the verdict in its header (`# expect: contained | blocked | timeout | limit:NAME`).
@Suite struct HostileCorpusTests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()
    static let nexus = root + "/.build/debug/nexus"
    static let corpus = root + "/testdata/hostile"

    struct Case: CustomStringConvertible, Sendable {
        var file: String
        var mode: String
        var expect: String
        var flags: [String]
        /// `# tier: B`: run at that lower tier; `# needs: root`; `# setup: root-only-tree`.
        var tier = ""
        var needs = ""
        var setup = ""
        var description: String { "\(file) [\(mode)\(tier.isEmpty ? "" : ", tier " + tier)]" }
    }

    static func cases() -> [Case] {
        guard let dir = opendir(corpus) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if (name.hasSuffix(".py") || name.hasSuffix(".sh")) && !name.hasPrefix("_") && !name.hasPrefix("run") {
                names.append(name)
            }
        }
        var out: [Case] = []
        for name in names.sorted() {
            guard let text = try? readFile(corpus + "/" + name) else { continue }
            var modes: [String] = []
            var expect = ""
            var flags: [String] = []
            var extra: [String: String] = [:]
            for line in text.split(separator: "\n") where line.hasPrefix("#") {
                let body = line.dropFirst().trimmingCharacters()
                if body.hasPrefix("modes:") { modes = body.dropFirst(6).split(separator: " ").map(String.init) }
                if body.hasPrefix("expect:") { expect = body.dropFirst(7).trimmingCharacters() }
                if body.hasPrefix("flags:") { flags = body.dropFirst(6).split(separator: " ").map(String.init) }
                for key in ["tier", "needs", "setup"] where body.hasPrefix(key + ":") {
                    extra[key] = body.dropFirst(key.count + 1).trimmingCharacters()
                }
            }
            for m in modes {
                out.append(
                    Case(
                        file: name, mode: m, expect: expect, flags: flags, tier: extra["tier"] ?? "",
                        needs: extra["needs"] ?? "", setup: extra["setup"] ?? ""))
            }
        }
        return out
    }

    /// Host pids whose command line contains `token`.
    static func processes(containing token: String) -> [Int32] {
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        var found: [Int32] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), pid != getpid() else { continue }
            if let cmd = try? readFile("/proc/\(name)/cmdline"), cmd.contains(token) { found.append(pid) }
        }
        return found
    }

    @Test func corpusHasAtLeastTwentyFivePrograms() {
        #expect(Set(Self.cases().map(\.file)).count >= 25)
    }

    @Test(arguments: cases())
    func hostileProgramGetsItsExpectedVerdict(_ c: Case) throws {
        guard access(Self.nexus, X_OK) == 0 else {
            print("skipping \(c): \(Self.nexus) is not built (run swift build first)")
            return
        }
        if c.needs == "root" && geteuid() != 0 {
            print("skipping \(c): needs root")
            return
        }
        let server = try #require(T.HTTPServer(body: "hostile-ok\n"))
        defer { server.stop() }
        let work = T.tempDir()
        defer { _ = system("rm -rf \(work)") }
        mkdir(work + "/ws", 0o755)
        _ = system("cp \(Self.corpus)/\(c.file) \(Self.corpus)/_common.py \(work)/ws/")
        let timeout = c.expect == "timeout" ? 2 : 10
        let token = "hostile-token-swift-\(getpid())-\(c.mode)-\(c.file)"
        var argv = [
            Self.nexus, "sandbox", "exec", "--mode", c.mode, "--workspace", work + "/ws", "--capture", "--result-json",
            work + "/r.json", "--timeout", "\(timeout)", "--audit-log", work + "/audit.jsonl", "--env",
            "HOSTILE_PORT=\(server.port)", "--env", "HOSTILE_TOKEN=\(token)",
        ]
        if c.mode != "exec" { argv += c.flags.map { $0.replacingOccurrences("{port}", "\(server.port)") } }
        if !c.tier.isEmpty {
            argv += ["--tier", c.tier]
            chmod(work, 0o711)  // tier B's uid of its own must pass through to the workspace
        }
        if c.setup == "root-only-tree" {
            mkdir(work + "/tree", 0o755)
            _ = system("echo public > \(work)/tree/public.txt; echo root-secret > \(work)/tree/root-only.txt")
            chmod(work + "/tree/root-only.txt", 0o600)
            argv += ["--ro-path", work + "/tree", "--env", "HOSTILE_TREE=\(work)/tree"]
        }
        // Tier B has no mount namespace (no /workspace): the program runs from its cwd, the workspace.
        argv += ["--", c.file.hasSuffix(".sh") ? "sh" : "python3", c.tier == "B" ? c.file : "/workspace/" + c.file]
        let quoted = argv.map { "'" + $0 + "'" }.joined(separator: " ")
        #expect(system(quoted + " >/dev/null 2>&1") != -1)
        let result = try #require(SandboxResult(json: try JSONValue(parsing: try readFile(work + "/r.json"))))
        #expect(!result.stdout.contains("ESCAPED"), "\(result.stdout.suffix(300))")
        switch c.expect {
        case "contained", "blocked":
            #expect(
                result.outcome == .exited && result.exitCode == 0 && result.stdout.contains("CONTAINED"),
                "\(result.outcome) \(String(describing: result.exitCode)) \(result.stderr.suffix(300))")
            if c.expect == "blocked" { #expect(!result.blockedNetwork.isEmpty) }
        case "timeout":
            #expect(result.outcome == .timeout)
        default:
            #expect("limit:" + (result.limitHit ?? "none") == c.expect, "\(result.stderr.suffix(300))")
        }
        #expect(result.stdout.utf8.count < 256 * 1024)
        #expect(Self.processes(containing: token).isEmpty, "a process outlived the sandbox")
    }
}

func readFile(_ path: String) throws -> String {
    guard let f = fopen(path, "r") else { throw NexusError("cannot open \(path)") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, 65536, f)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        self.split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
