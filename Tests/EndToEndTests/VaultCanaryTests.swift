import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 5's canary: a stored credential, handed to a module whose tool deliberately returns it (raw,
/// base64, hex) and prints it to stderr, never leaves the vault — not to the provider, the terminal,
/// any database row outside the sealed tables, any log, or any byte of any file under the test's homes.
@Suite(.serialized) struct VaultCanaryEndToEnd {
    /// 28 bytes with characters that percent-encode and JSON-escape differently from the raw value.
    static let canary = "cAnary-7Qx!vault+S3cret/9f2e"
    static let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

    let dir = TemporaryDirectory(prefix: "nexus-e2e-canary")

    func env(_ server: FakeProviderServer) -> [String: String] {
        let config = dir.write(
            "nexus.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            [routing]
            simple_query = "fake:fake-model"
            """)
        return [
            "NEXUS_HOME": dir.path + "/home", "NEXUS_CONFIG": config, "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": Self.key,
        ]
    }

    /// A module whose `leak` tool returns its own credential and prints it to stderr, including a
    /// value split across two writes (so a log writer redacting per chunk would miss it).
    func writeLeakyModule() -> String {
        let folder = ModuleFixture.folder(
            in: dir, name: "leaky",
            manifest:
                ModuleFixture.manifest(
                    name: "leaky", displayName: "Leaky canary",
                    description: "Returns its own secret on purpose: the vault canary.", className: "Leaky",
                    requiresKey: true, keyInstructions: "any value",
                    credentials: #"[{"name": "token", "env": "LEAKY_TOKEN", "instructions": "any value"}]"#),
            adapter:
                """
                import base64
                import os
                import sys
                import time

                from nexus_adapter import BaseAdapter, register_adapter, serve, tool

                _secret = os.environ.get("LEAKY_TOKEN", "")
                sys.stderr.write("startup: " + _secret[:9])
                sys.stderr.flush()
                time.sleep(0.05)
                sys.stderr.write(_secret[9:] + " (split across writes)\\n")
                sys.stderr.flush()


                @register_adapter
                class Leaky(BaseAdapter[dict]):
                    name = "leaky"

                    @tool
                    def leak(self) -> str:
                        \"\"\"Returns this module's own secret, raw, base64 and hex.\"\"\"
                        s = self.credential("token")
                        b = s.encode()
                        text = f"raw={s} b64={base64.b64encode(b).decode()} hex={b.hex()}"
                        sys.stderr.write("leaking " + text + "\\n")
                        sys.stderr.flush()
                        return text

                    @tool(description="Says which token this module holds: " + _secret)
                    def whoami(self, token: str = _secret) -> str:
                        return "a module with a token"

                    @tool
                    def die(self) -> str:
                        \"\"\"Prints its own secret to stderr and exits mid-call (its last words quote it).\"\"\"
                        sys.stderr.write("dying with " + self.credential("token") + "\\n")
                        sys.stderr.flush()
                        time.sleep(0.1)
                        os._exit(3)


                if __name__ == "__main__":
                    serve(Leaky)
                """)
        return folder
    }

    @Test func canarySecretNeverLeavesTheVault() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        defer { dir.remove() }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server)
        let folder = writeLeakyModule()
        var runs: [(String, Subprocess.Result)] = []

        let set = NexusBinary.run(["creds", "set", "leaky", "token", "--force"], stdin: Self.canary, env: e)
        runs.append(("creds set", set))
        try #require(set.status == 0, "creds set: \(set.stdout) \(set.stderr)")
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        runs.append(("modules install", install))
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")

        server.enqueue(.toolCall(name: "leaky__leak", arguments: "{}"), .text("I saw something redacted."))
        let turn = NexusBinary.run(["-p", "call the leak tool"], env: e)
        runs.append(("-p", turn))
        #expect(turn.status == 0, "stderr: \(turn.stderr)")
        server.enqueue(.toolCall(name: "leaky__leak", arguments: "{}"), .text("Again."))
        let json = NexusBinary.run(["-p", "call the leak tool again", "--json"], env: e)
        runs.append(("-p --json", json))
        #expect(json.status == 0, "stderr: \(json.stderr)")
        server.enqueue(.toolCall(name: "leaky__leak", arguments: "{}"), .text("Line mode too."))
        let plain = NexusBinary.run(["--plain"], stdin: "call the leak tool\n/modules info leaky\n/quit\n", env: e)
        runs.append(("--plain (line mode)", plain))
        #expect(plain.status == 0, "stderr: \(plain.stderr)")
        #expect(plain.stdout.contains("Line mode too."))
        server.enqueue(.toolCall(name: "leaky__die", arguments: "{}"), .text("It died."))
        let crash = NexusBinary.run(["-p", "call the die tool"], env: e)
        runs.append(("-p (module crashes)", crash))
        #expect(crash.status == 0, "stderr: \(crash.stderr)")
        for args in [["modules", "list"], ["modules", "info", "leaky"], ["creds", "list"]] {
            runs.append((args.joined(separator: " "), NexusBinary.run(args, env: e)))
        }

        // The tool ran and the model got the scrubbed result, not a skipped call.
        let followUps = server.chatRequests.map(\.body).filter { $0.contains("leaky__leak") && $0.contains("raw=") }
        #expect(followUps.count == 3, "every leak turn sent the tool result back")
        #expect(followUps.allSatisfy { $0.contains("«redacted:") || $0.contains("\\u00abredacted:") })
        let offered = server.chatRequests.first?.body ?? ""
        #expect(offered.contains("leaky__whoami"), "the module's tools were offered to the model")

        let forms = CanaryForms.of(Self.canary)
        for r in server.requests {
            let place = "provider request \(r.method) \(r.path)"
            CanaryForms.expectAbsent(forms, in: Array(r.body.utf8), place)
            for (k, v) in r.headers {
                CanaryForms.expectAbsent(forms, in: Array("\(k): \(v)".utf8), place + " header")
            }
        }
        for (label, r) in runs {
            CanaryForms.expectAbsent(forms, in: r.stdoutBytes, "stdout of nexus \(label)")
            CanaryForms.expectAbsent(forms, in: Array(r.stderr.utf8), "stderr of nexus \(label)")
        }

        // Every byte of every file (the database, its WAL, logs, module folders, config) before the
        // database is opened here, so nothing is checkpointed away first.
        let files = CanaryForms.files(under: dir.path)
        #expect(files.contains { $0.hasSuffix("/nexus.db") })
        for f in files {
            guard let bytes = try? FileSystem.read(f) else { continue }
            CanaryForms.expectAbsent(forms, in: bytes, f)
        }

        let log = dir.path + "/home/logs/modules/leaky.log"
        let logText = (try? FileSystem.readText(log)) ?? ""
        #expect(logText.contains("leaking raw=«redacted:"), "the module's stderr reached its log, redacted: \(logText)")
        #expect(logText.contains("startup: «redacted:"), "a secret split across writes is redacted too: \(logText)")
        #expect(logText.contains("dying with «redacted:"), "last words before a crash are redacted: \(logText)")

        let db = try Database(path: dir.path + "/home/nexus.db")
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.values.first }
        #expect(tables.contains(.text("vault_credentials")))
        var markedTables: Set<String> = []
        for case .text(let table) in tables where table != "vault_credentials" && table != "vault_meta" {
            for row in try db.query("SELECT * FROM \"\(table)\"") {
                for (column, value) in zip(row.columns, row.values) {
                    switch value {
                    case .text(let s):
                        CanaryForms.expectAbsent(forms, in: Array(s.utf8), "\(table).\(column)")
                        if s.contains("«redacted:") { markedTables.insert(table) }
                    case .blob(let b): CanaryForms.expectAbsent(forms, in: b, "\(table).\(column)")
                    default: break
                    }
                }
            }
        }
        #expect(!markedTables.isEmpty, "the scrubbed tool results were stored (history), redacted")
    }
}

/// The spellings of the canary a leak could take, and the byte search over files and text.
enum CanaryForms {
    static func of(_ secret: String) -> [(name: String, bytes: [UInt8])] {
        let raw = Array(secret.utf8)
        let b64 = base64(raw)
        let url = b64.map {
            $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0
        }
        return [
            ("raw", raw), ("base64", b64), ("base64url", url), ("hex", hex(raw, upper: false)),
            ("HEX", hex(raw, upper: true)), ("percent-encoded", percent(raw)),
            ("JSON-escaped", raw.flatMap { $0 == UInt8(ascii: "/") ? [UInt8(ascii: "\\"), $0] : [$0] }),
        ]
    }

    static func expectAbsent(
        _ forms: [(name: String, bytes: [UInt8])], in haystack: [UInt8], _ place: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for f in forms where contains(haystack, f.bytes) {
            Issue.record(
                Comment(rawValue: "the canary (\(f.name)) leaked into \(place)"), sourceLocation: sourceLocation)
        }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, hay.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == first, hay[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// Every regular file below `root`, recursively (symbolic links are not followed).
    static func files(under root: String) -> [String] {
        var out: [String] = []
        guard let d = opendir(root) else { return out }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = root + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: out += files(under: path)
            case S_IFREG: out.append(path)
            default: break
            }
        }
        return out
    }

    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var v = 0
            for k in 0..<3 { v = v << 8 | (k < n ? Int(bytes[i + k]) : 0) }
            for k in 0..<(n + 1) { out.append(alphabet[(v >> (18 - 6 * k)) & 63]) }
            i += 3
        }
        return out  // unpadded: a prefix of the padded form, so it finds both
    }

    static func hex(_ bytes: [UInt8], upper: Bool) -> [UInt8] {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        return bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }
    }

    static func percent(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in bytes {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), digits[Int(b >> 4)], digits[Int(b & 15)]]
            }
        }
        return out
    }
}
