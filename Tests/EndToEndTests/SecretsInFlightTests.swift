import NexusCore
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 12 items 10 and 11, through the real binary, a real module and the fake provider over a real
/// socket: a vault secret the model streams in pieces or writes into a tool call's arguments never
/// reaches the terminal, the `--json` events, the approval prompt or the history; "always" approves only
/// the arguments shown; long arguments are never cut silently.
@Suite(.serialized) struct SecretsInFlightEndToEnd {
    static let canary = VaultCanaryEndToEnd.canary
    /// The canary suite's home and config (one fake provider, the vault key), in a directory of our own.
    let home = VaultCanaryEndToEnd()
    var dir: TemporaryDirectory { home.dir }

    /// A fake provider, a home whose vault holds the canary, and the echo module installed.
    func start() throws -> (FakeProviderServer, [String: String]) {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        let e = home.env(server)
        try installEchoModule(e)
        return (server, e)
    }

    /// A module holding the canary as its credential, with one sensitive tool that says how much it got.
    func installEchoModule(_ e: [String: String]) throws {
        let folder = ModuleFixture.folder(
            in: dir, name: "leaky",
            manifest: ModuleFixture.manifest(
                name: "leaky", displayName: "Leaky", description: "Echo tool for approval tests.", className: "Leaky",
                requiresKey: true, keyInstructions: "any value",
                credentials: #"[{"name": "token", "env": "LEAKY_TOKEN", "instructions": "any value"}]"#,
                sensitiveTools: #"["echo"]"#),
            adapter: """
                from nexus_adapter import BaseAdapter, register_adapter, serve, tool


                @register_adapter
                class Leaky(BaseAdapter[dict]):
                    name = "leaky"

                    @tool
                    def echo(self, text: str) -> str:
                        \"\"\"Says how many characters it was given.\"\"\"
                        return f"got {len(text)} characters"


                if __name__ == "__main__":
                    serve(Leaky)
                """)
        let set = NexusBinary.run(["creds", "set", "leaky", "token", "--force"], stdin: Self.canary, env: e)
        try #require(set.status == 0, "creds set: \(set.stderr)")
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: e)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")
    }

    /// `s` with every character written as `\u00XX` (what a JSON encoder may emit), as literal text.
    static func unicodeEscaped(_ s: String) -> String {
        let digits = Array("0123456789ABCDEF")
        return s.utf16.map { u in "\\u" + (0..<4).map { String(digits[Int(u >> UInt16(12 - 4 * $0) & 0xF)]) }.joined() }
            .joined()
    }

    /// The escaped form as it appears inside a JSON string (its backslashes escaped).
    static var escapedInJSON: String { unicodeEscaped(canary).replacing("\\", with: "\\\\") }

    @Test func aSecretInStreamedTokensAndToolArgumentsNeverLeaves() throws {
        defer { dir.remove() }
        let (server, e) = try start()
        defer { server.stop() }
        let forms = CanaryForms.of(Self.canary)

        // A model streaming the secret split across two tokens.
        let c = Self.canary
        // The answer goes on well past the carry-over window, so it still streams in several tokens.
        let tail = (0..<8).map { " and then sentence \($0) of a long answer that keeps going" }
        let pieces = ["The key is ", String(c.prefix(11)), String(c.dropFirst(11)) + ", as asked."] + tail
        server.enqueue(FakeReply(.stream(FakeStream(chunks: pieces))))
        let streamed = NexusBinary.run(["-p", "what is the key", "--json"], env: e)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let tokens = streamed.stdout.split(separator: "\n").filter { $0.contains(#""type":"token""#) }
        #expect(tokens.count >= 2, "the answer still streams")
        let shown = tokens.compactMap { (try? JSONValue(parsing: String($0)))?["text"]?.stringValue }.joined()
        #expect(shown == "The key is «redacted:leaky/token», as asked." + tail.joined(), "\(shown)")
        CanaryForms.expectAbsent(forms, in: streamed.stdoutBytes, "--json token events")

        // A tool call carrying the secret raw and \u-escaped, approved in a script.
        let args = #"{"text": "\#(c) / \#(Self.escapedInJSON)"}"#
        server.enqueue(.toolCall(name: "leaky__echo", arguments: args), .text("Done."))
        let json = NexusBinary.run(["-p", "echo the key", "--json", "--approve", "yes"], env: e)
        #expect(json.status == 0, "\(json.stderr)")
        let lines = json.stdout.split(separator: "\n").map(String.init)
        let approval = lines.first { $0.contains(#""type":"approval_required""#) } ?? ""
        #expect(approval.contains("redacted:leaky/token"), "the prompt's event shows them redacted: \(approval)")
        let call = lines.first { $0.contains(#""type":"tool_call""#) } ?? ""
        #expect(call.contains("redacted:leaky/token"), "\(call)")
        #expect(lines.contains { $0.contains(#""type":"tool_result""#) && $0.contains("got ") }, "the tool ran")
        CanaryForms.expectAbsent(forms, in: json.stdoutBytes, "--json events of a tool call")
        CanaryForms.expectAbsent(forms, in: Array(json.stderr.utf8), "stderr of a tool call")
        #expect(!json.stdout.contains(Self.escapedInJSON), "the \\u form is redacted too")

        // The same call in line mode: the prompt on stderr shows the arguments redacted.
        server.enqueue(.toolCall(name: "leaky__echo", arguments: args), .text("Done again."))
        let plain = NexusBinary.run(["--plain"], stdin: "echo the key\ny\n/quit\n", env: e)
        #expect(plain.stderr.contains("arguments") && plain.stderr.contains("redacted:leaky/token"), "\(plain.stderr)")
        CanaryForms.expectAbsent(forms, in: Array(plain.stderr.utf8), "the line-mode approval prompt")
        CanaryForms.expectAbsent(forms, in: plain.stdoutBytes, "line-mode stdout")

        // The model's request after the tool ran carries its own call back, scrubbed.
        let followUps = server.chatRequests.map(\.body).filter { $0.contains("leaky__echo") && $0.contains("got ") }
        #expect(followUps.count == 2)
        for r in server.requests { CanaryForms.expectAbsent(forms, in: Array(r.body.utf8), "provider request") }

        let db = try Database(path: dir.path + "/home/nexus.db")
        for row in try db.query("SELECT * FROM messages") {
            for case .text(let s) in row.values {
                CanaryForms.expectAbsent(forms, in: Array(s.utf8), "history row")
                let escaped = s.contains(Self.unicodeEscaped(c)) || s.contains(Self.escapedInJSON)
                #expect(!escaped, "history holds the \\u form: \(s)")
            }
        }
    }

    /// "always" used to approve every later call of the tool, whatever its arguments.
    @Test func alwaysCoversTheArgumentsShownAndLongArgumentsSayWhatWasLeftOut() throws {
        defer { dir.remove() }
        let (server, e) = try start()
        defer { server.stop() }
        let long = String(repeating: "x", count: 5000)
        server.enqueue(
            .toolCall(name: "leaky__echo", arguments: #"{"text": "one"}"#), .text("first done."),
            .toolCall(name: "leaky__echo", arguments: #"{"text": "\#(long)"}"#), .text("second done."),
            .toolCall(name: "leaky__echo", arguments: #"{"text": "one"}"#), .text("third done."),
            .toolCall(name: "leaky__echo", arguments: #"{"text": "three"}"#), .text("fourth done."),
            .toolCall(name: "leaky__echo", arguments: #"{"text": "four"}"#), .text("fifth done."))
        let run = NexusBinary.run(
            ["--plain"], stdin: "first\na\nsecond\nv\nn\nthird\nfourth\nt\nfifth\n/quit\n", env: e, timeout: 90)
        #expect(run.status == 3, "a refusal in a scripted run exits 3: \(run.stderr)")
        // Asked for the first call, twice for the second (other arguments; `v` shows them and asks again)
        // and for the fourth; the third repeats the first's arguments, the fifth follows the `t` answer.
        #expect(run.stderr.ranges(of: "approve? ").count == 4, "\(run.stderr)")
        #expect(run.stderr.contains("[a]lways for echo with exactly these arguments"))
        #expect(run.stderr.contains("[t] always for echo, any arguments"))
        let serialized = JSONValue.object(JSONObject([("text", .string(long))])).serialized.count
        let more = ApprovalText.grouped(serialized - 400)
        #expect(run.stderr.contains("… \(more) more characters (answer v to see them whole)"), "\(run.stderr)")
        #expect(run.stderr.contains(long), "v showed the arguments whole")
        for answer in ["first done.", "third done.", "fourth done.", "fifth done."] {
            #expect(run.stdout.contains(answer), "\(answer)")
        }
        #expect(run.stderr.ranges(of: "← leaky__echo: got").count == 4, "the denied call did not run: \(run.stderr)")
    }
}
