import NexusCore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus build` driven as a user would, against the fake provider over a real socket, with the real gate
/// in the sandbox and the real installer (issue 14).
@Suite(.serialized) struct BuildEndToEnd {
    var dir = TemporaryDirectory(prefix: "nexus-e2e-build")
    static let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    static let description = "an integration for the Quotes API: quote by id, and the list"

    func env(_ server: FakeProviderServer, home: String, maxRepairs: Int = 3, codeModel: String = "fake-model")
        -> [String: String]
    {
        let config = dir.write(
            "\(home).toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            [routing]
            code_generation = "fake:\(codeModel)"
            test_validation = "fake:fake-large"
            simple_query = "fake:fake-model"
            [build]
            max_repairs = \(maxRepairs)
            """)
        return [
            "NEXUS_HOME": dir.path + "/" + home, "NEXUS_CONFIG": config, "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": Self.key, "QUOTES_KEY": "q-secret-1",
        ]
    }

    static func events(_ stdout: String) -> [JSONValue] {
        stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: Array($0.utf8)) }
    }

    func installed(_ e: [String: String]) -> Bool {
        NexusBinary.run(["modules", "list"], env: e).stdout.split(separator: "\n").contains { $0.hasPrefix("quotes ") }
    }

    @Test func aGoodModuleOnTheFirstAttemptIsProvenApprovedInstalledAndLiveTested() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "first")
        let docs = dir.write("quotes-api.md", "GET /v1/quotes/{id} returns {id, text, author}; auth: Bearer key")
        let r = NexusBinary.run(
            [
                "build", Self.description, "--approve", "yes", "--credential", "api_key=env:QUOTES_KEY", "--json",
                "--docs", docs,
            ], env: e,
            timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let events = Self.events(r.stdout)
        let entered = events.filter { $0["type"]?.stringValue == "node_entered" }.compactMap { $0["node"]?.stringValue }
        #expect(
            entered == ["plan", "generate", "validate", "proof", "approval", "install", "credentials", "live_test"])
        let left = events.filter { $0["type"]?.stringValue == "node_left" }
        #expect(left.allSatisfy { $0["latency_ms"]?.doubleValue != nil })
        // Metrics and traces see the build end and each sandboxed gate run (issue 16).
        let finished = events.filter { $0["type"]?.stringValue == "build_finished" }
        #expect(finished.count == 1 && finished.first?["outcome"]?.stringValue == "installed")
        let runs = events.filter { $0["type"]?.stringValue == "sandbox_run" }
        // The gate's runs are `validate`; the live test's module process is an `integration` run, which reaches the
        // session through the sandbox audit log when the tailer's poll comes round before the command ends.
        #expect(!runs.isEmpty && runs.allSatisfy { ["validate", "integration"].contains($0["mode"]?.stringValue) })
        #expect(runs.contains { $0["mode"]?.stringValue == "validate" && $0["outcome"]?.stringValue == "ok" })
        // The request: one call on code_generation, carrying the description verbatim and the template.
        #expect(server.chatRequests.count == 1)
        let body = server.chatRequests.first?.body ?? ""
        #expect(body.contains(Self.description))
        #expect(body.contains("template file manifest.json"))
        #expect(body.contains("BaseAdapter"), "the runtime helper's API summary is sent")
        #expect(body.contains("returns {id, text, author}; auth: Bearer key"), "the docs excerpt is sent")
        let usage = events.first { $0["type"]?.stringValue == "usage" }
        #expect(usage?["service"]?.stringValue == "build")
        #expect(usage?["task_type"]?.stringValue == "code_generation")
        // The proof inside approval_required.
        let proof = try #require(events.first { $0["type"]?.stringValue == "approval_required" }?["proof"])
        let sha = try #require(proof["sha256"]?.stringValue)
        #expect(sha.count == 64)
        #expect(
            proof["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
                == ["adapter.py", "manifest.json", "test_adapter.py"])
        let checks = proof["checks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        for name in ["syntax", "policy", "manifest", "protocol", "tests", "mutation"] {
            #expect(checks.contains(name), "check \(name) in \(checks)")
        }
        #expect(proof["tests"]?["passed"]?.intValue == 4 && proof["tests"]?["total"]?.intValue == 4)
        #expect((proof["mutation"]?["score"]?.doubleValue ?? 0) >= 0.8)
        #expect(proof["hosts"]?.arrayValue == [.string("api.quotes.example.com")])
        #expect(proof["models"]?.arrayValue?.first?["model"]?.stringValue == "fake:fake-model")
        #expect(proof["tokens_in"]?.intValue == 12 && proof["tokens_out"]?.intValue == 7, "from the ledger: \(proof)")
        #expect(proof["attempts"]?.arrayValue?.count == 1)
        // Installed with the pinned digest; the credential sealed; the live test ran with it.
        let info = NexusBinary.run(["modules", "info", "quotes"], env: e)
        #expect(info.stdout.contains("sha256: \(sha)"), "\(info.stdout)")
        let final = events.first { $0["type"]?.stringValue == "final" }?["text"]?.stringValue ?? ""
        #expect(final.contains("Installed module quotes"))
        #expect(final.contains("Live test key_status: ok"), "\(final)")
        #expect(final.contains("{\"key_set\": true}"))
        #expect(!r.stdout.contains("q-secret-1") && !r.stderr.contains("q-secret-1"), "the credential never shows")
        let creds = NexusBinary.run(["creds", "list", "quotes"], env: e)
        #expect(creds.stdout.contains("api_key"), "\(creds.stdout) \(creds.stderr)")
        // The record.
        let builds = NexusBinary.run(["modules", "builds"], env: e)
        #expect(builds.stdout.contains("installed"), "\(builds.stdout)")
        #expect(builds.stdout.contains("quotes"))
        #expect(server.violations.isEmpty)
    }

    @Test func aSyntaxErrorIsRepairedOnTheSecondAttemptOnTheTestValidationRoute() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .text(BuildFixture.reply(BuildFixture.syntaxError)), .text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "repair")
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes", "--json"], env: e, timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        try #require(server.chatRequests.count == 2)
        let repair = server.chatRequests[1].body
        #expect(repair.contains("fake-large"), "the repair runs on test_validation's model")
        #expect(repair.contains("category: syntax"), "\(String(repair.prefix(400)))")
        #expect(repair.contains("adapter.py"), "the evidence names the file")
        #expect(repair.contains("def get_quote(self quote_id"), "the current files are sent back")
        let events = Self.events(r.stdout)
        let repairNode = events.first { $0["type"]?.stringValue == "node_left" && $0["node"]?.stringValue == "repair" }
        #expect(repairNode?["detail"]?.stringValue == "1/3")
        let attempts = events.first { $0["type"]?.stringValue == "approval_required" }?["proof"]?["attempts"]?
            .arrayValue
        #expect(attempts?.first?["failure_category"]?.stringValue == "syntax")
        #expect((attempts?.last?["diff_lines"]?.intValue ?? 0) > 0, "the repair's diff is kept")
        let id = try #require(
            events.first { $0["type"]?.stringValue == "approval_required" }?["proof"]?["build_id"]?.stringValue)
        let home = e["NEXUS_HOME"] ?? ""
        #expect(FileSystemProbe.isFile(home + "/builds/\(id)/attempt-1/adapter.py"))
        #expect(FileSystemProbe.isFile(home + "/builds/\(id)/attempt-2.diff"))
        let show = NexusBinary.run(["modules", "builds", id], env: e)
        #expect(show.stdout.contains("1. generate with fake:fake-model: failed syntax [syntax]"), "\(show.stdout)")
        #expect(show.stdout.contains("2. repair with fake:fake-large: passed"), "\(show.stdout)")
    }

    @Test func toothlessTestsAreCaughtByTheMutationCheck() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.toothless)))
        let e = env(server, home: "toothless", maxRepairs: 0)
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("failed mutation [mutation]"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was installed"))
        #expect(!installed(e))
    }

    @Test func aModuleThatNeverPassesFailsAfterThreeRepairsWithNothingInstalled() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.syntaxError)))
        server.setRepeatLastReply(true)
        let e = env(server, home: "never")
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes"], env: e, timeout: 180)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(server.chatRequests.count == 4, "one generation and three repairs")
        #expect(r.stderr.contains("failed after 4 attempts; nothing was installed"), "\(r.stderr)")
        #expect(r.stderr.contains("last error (syntax, syntax)"))
        #expect(r.stderr.contains("the files of every attempt are in"))
        #expect(!installed(e))
        #expect(NexusBinary.run(["modules", "builds"], env: e).stdout.contains("failed"))
    }

    @Test func theSmallLocalDefaultIsToldPlainlyToRouteCodeGenerationElsewhere() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer(models: ["SmolLM2-135M-Instruct", "fake-large"])
        defer { server.stop() }
        server.enqueue(.text("Sure! Here is a module: def adapter(): pass"))
        server.setRepeatLastReply(true)
        let e = env(server, home: "smol", maxRepairs: 1, codeModel: "SmolLM2-135M-Instruct")
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 1)
        #expect(r.stderr.contains("failed after 2 attempts"), "\(r.stderr)")
        #expect(r.stderr.contains("SmolLM2) is too small to write a working module"), "\(r.stderr)")
        #expect(r.stderr.contains("/model code_generation PROVIDER:MODEL"))
    }

    @Test func aModelThatIgnoresTheRequestedNameIsAnAttemptFailure() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "named", maxRepairs: 0)
        let r = NexusBinary.run(
            ["build", Self.description, "--name", "citations", "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 1)
        #expect(r.stderr.contains("the user asked for the module to be named citations"), "\(r.stderr)")
        #expect(!installed(e))
    }

    @Test func aFailingLiveTestLeavesTheModuleInstalledButDegradedWithTheWayOut() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let files = BuildFixture.good.map {
            $0.0 == "manifest.json"
                ? (
                    $0.0,
                    $0.1.replacingFirst(
                        #""tool": "key_status", "arguments": {}"#,
                        with: #""tool": "get_quote", "arguments": {"quote_id": "q1"}"#)
                )
                : $0
        }
        server.enqueue(.text(BuildFixture.reply(files)))
        let e = env(server, home: "degraded")
        let r = NexusBinary.run(
            ["build", Self.description, "--approve", "yes", "--credential", "api_key=env:QUOTES_KEY", "--json"],
            env: e, timeout: 120)
        #expect(r.status == 1, "a module that does not work is no success: \(r.stderr)")
        let events = Self.events(r.stdout)
        let finished = events.first { $0["type"]?.stringValue == "build_finished" }
        #expect(finished?["outcome"]?.stringValue == "degraded", "the event says what the table says: \(r.stdout)")
        let final = events.first { $0["type"]?.stringValue == "final" }?["text"]?.stringValue ?? ""
        #expect(final.contains("Live test get_quote FAILED"), "\(final)")
        let error = events.first { $0["type"]?.stringValue == "error" }
        #expect(error?["message"]?.stringValue?.contains("quotes is installed but degraded") == true, "\(r.stdout)")
        let hint = error?["hint"]?.stringValue ?? ""
        #expect(hint.contains("nexus creds set quotes api_key"), "the credential to store again: \(hint)")
        #expect(hint.contains("then run: nexus modules test quotes"), "\(hint)")
        #expect(hint.contains("nexus modules remove quotes"), "\(hint)")
        let turnEnd = events.first { $0["type"]?.stringValue == "turn_finished" }
        #expect(turnEnd?["outcome"]?.stringValue == "error", "\(r.stdout)")
        let notices = events.filter { $0["type"]?.stringValue == "notice" }.compactMap { $0["message"]?.stringValue }
        #expect(
            notices.contains { $0.contains("10 characters long, too short for an API key or token") },
            "the --credential value is judged as creds set judges one: \(notices)")
        let row = NexusBinary.run(["modules", "list"], env: e).stdout.split(separator: "\n").first {
            $0.hasPrefix("quotes ")
        }
        #expect(row?.contains("degraded") == true, "\(String(describing: row))")
        #expect(NexusBinary.run(["modules", "builds"], env: e).stdout.contains("degraded"))
    }

    @Test func aSecretFromTheVaultInTheDescriptionNeverReachesTheModel() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "canary", maxRepairs: 0)
        let canary = "canary-7f3a9c1e5b2d"
        let set = NexusBinary.run(["creds", "set", "weather", "api_key", "--force"], stdin: canary + "\n", env: e)
        try #require(set.status == 0, "\(set.stderr)")
        server.enqueue(.text("no module today"))
        _ = NexusBinary.run(["build", "a weather module; my key is \(canary)", "--approve", "no"], env: e, timeout: 60)
        try #require(server.chatRequests.count == 1)
        #expect(!server.chatRequests[0].body.contains(canary), "the description is redacted before the model sees it")
        #expect(server.chatRequests[0].body.contains("a weather module; my key is"))
    }

    @Test func aLiveTestThatEchoesTheCredentialShowsItRedacted() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let files = BuildFixture.good.map { file -> (String, String) in
            switch file.0 {
            case "manifest.json":
                return (file.0, file.1.replacingFirst(#""tool": "key_status""#, with: #""tool": "whoami""#))
            case "adapter.py":
                let tool = """
                        @tool
                        def whoami(self) -> str:
                            \"\"\"Who the key says we are.\"\"\"
                            return "signed in with " + self.credential("api_key")

                        @tool
                        def key_status
                    """
                return (file.0, file.1.replacingFirst("    @tool\n    def key_status", with: tool))
            default: return file
            }
        }
        server.enqueue(.text(BuildFixture.reply(files)))
        let e = env(server, home: "echo")
        let r = NexusBinary.run(
            ["build", Self.description, "--approve", "yes", "--credential", "api_key=env:QUOTES_KEY"], env: e,
            timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Live test whoami: ok — signed in with"), "\(r.stdout)")
        #expect(!r.stdout.contains("q-secret-1") && !r.stderr.contains("q-secret-1"), "\(r.stdout)")
    }

    @Test func aMaliciousModuleIsRejectedWithItsReasons() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.malicious)))
        let e = env(server, home: "malicious", maxRepairs: 0)
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes", "--json"], env: e, timeout: 120)
        #expect(r.status == 1)
        let notices = Self.events(r.stdout).filter { $0["type"]?.stringValue == "notice" }.compactMap {
            $0["message"]?.stringValue
        }
        let error = Self.events(r.stdout).first { $0["type"]?.stringValue == "error" }?["message"]?.stringValue ?? ""
        #expect(error.contains("nothing was installed"))
        #expect(notices.contains { $0.contains("failed policy [") }, "\(notices)")
        let builds = NexusBinary.run(["modules", "builds"], env: e).stdout
        let id = String(builds.split(separator: "\n").dropFirst().first?.prefix(8) ?? "")
        let show = NexusBinary.run(["modules", "builds", id], env: e).stdout
        let evidence = error + show
        for reason in ["subprocess", ".ssh", "collect.evil.example.net"] {
            #expect(evidence.contains(reason), "the rejection names \(reason): \(error)")
        }
        #expect(!installed(e))
    }

    @Test(arguments: [
        ("prose", "I am sorry, I cannot write code for that API."),
        ("broken JSON", #"{"files": [{"path": "manifest.json", "content": "{"#),
        ("empty set", #"{"files": [], "notes": "nothing"}"#),
        ("escaping path", #"{"files": [{"path": "../../escape.py", "content": "x = 1"}]}"#),
        ("absolute path", #"{"files": [{"path": "/tmp/nexus-build-escape.py", "content": "x = 1"}]}"#),
    ])
    func badModelOutputIsAnAttemptErrorThenRepaired(kind: String, text: String) throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(text), .text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "bad-\(kind.replacingFirst(" ", with: "-"))")
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 0, "\(kind): \(r.stderr)")
        #expect(r.stderr.contains("attempt 1 (generate, fake:fake-model): failed reply [output]"), "\(r.stderr)")
        #expect(server.chatRequests.count == 2)
        #expect(server.chatRequests[1].body.contains("category: output"))
        #expect(
            !FileSystemProbe.isFile(dir.path + "/escape.py") && !FileSystemProbe.isFile("/tmp/nexus-build-escape.py"))
    }

    @Test func aTenMegabyteReplyIsCutOffAndRefused() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let chunk = String(repeating: "y", count: 1 << 20)
        server.enqueue(
            FakeReply.text(chunk, chunk, chunk, chunk, chunk, chunk, chunk, chunk, chunk, chunk, chunk, chunk))
        let e = env(server, home: "huge", maxRepairs: 0)
        let r = NexusBinary.run(["build", Self.description, "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 1)
        #expect(r.stderr.contains("over 10 MB"), "\(r.stderr)")
        #expect(!installed(e))
    }

    @Test func withoutApprovalAScriptExitsThreeAndNothingIsInstalled() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "denied")
        let r = NexusBinary.run(["build", Self.description, "--json"], env: e, timeout: 120)
        #expect(r.status == 3, "stderr: \(r.stderr)")
        let events = Self.events(r.stdout)
        #expect(events.first { $0["type"]?.stringValue == "approval_required" }?["proof"]?["sha256"] != nil)
        #expect(events.first { $0["type"]?.stringValue == "approval" }?["decision"]?.stringValue == "no")
        #expect(events.last?["outcome"]?.stringValue == "approval_denied")
        #expect(!installed(e))
        #expect(NexusBinary.run(["modules", "builds"], env: e).stdout.contains("denied"))
    }

    @Test func lineModePrintsTheProofBeforeAskingAndTheSummaryAfter() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "line")
        // Piped `ask`: the answer is the next input line.
        let r = NexusBinary.run(["build", Self.description, "--name", "quotes"], stdin: "y\n", env: e, timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        for line in [
            "Install module quotes, built and proven by NEXUS?", "check syntax", "check mutation", "tests ",
            "4/4 passed",
            "mutation score", "sha256", "model (generate)", "fake:fake-model", "build cost", "approve? [y]es",
        ] {
            #expect(r.stderr.contains(line), "\(line) in \(r.stderr)")
        }
        #expect(r.stdout.contains("Installed module quotes 1.0.0"), "\(r.stdout)")
        // Piped, the answer is written after the question, and what follows starts on a line of its own.
        #expect(r.stderr.contains("[a]lways for exactly this request: y\n"), "\(r.stderr)")
        #expect(r.stdout.contains("Credential api_key (QUOTES_API_KEY) not set: nexus creds set quotes api_key"))
        #expect(r.stdout.contains("Live test skipped"))
    }

    @Test func aBuildModuleChatTurnRunsTheBuildAsTheTurn() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let e = env(server, home: "chat")
        let r = NexusBinary.run(
            ["-p", "build me an integration for the Quotes API", "--approve", "yes", "--json"], env: e, timeout: 120)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let events = Self.events(r.stdout)
        #expect(events.first { $0["type"]?.stringValue == "route" }?["task_type"]?.stringValue == "build_module")
        let nodes = events.filter { $0["type"]?.stringValue == "node_entered" }.compactMap { $0["node"]?.stringValue }
        #expect(nodes.starts(with: ["input", "classifier", "tier_router", "plan", "generate", "validate"]), "\(nodes)")
        #expect(installed(e))
        // And /build in a piped session is the same implementation.
        server.enqueue(.text(BuildFixture.reply(BuildFixture.good)))
        let slash = NexusBinary.run(
            ["--approve", "yes"], stdin: "/build quotes again --name quotes\n/builds\n", env: e, timeout: 120)
        #expect(slash.status == 0, "\(slash.stderr)")
        // The same files as the installed ones: a reinstall, still shown against the installed version.
        #expect(slash.stdout.contains("Reinstalled module quotes"), "\(slash.stdout)")
        #expect(slash.stderr.contains("diff vs installed"), "an upgrade shows its diff against the installed version")
        #expect(slash.stdout.contains("installed  quotes"), "\(slash.stdout)")
    }
}

/// Plain file checks for assertions.
enum FileSystemProbe {
    static func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
}

/// Ctrl-C during a build (issue 14 "Failure is graceful").
@Suite(.serialized) struct BuildCancelEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-build-cancel")

    @Test func ctrlCWhileValidatingKillsTheSandboxedRunsAndInstallsNothing() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(BuildFixture.slowTests)))
        let e = BuildEndToEnd(dir: dir).env(server, home: "cancel")
        let scratch = dir.path + "/tmp"
        mkdir(scratch, 0o700)
        let q = TUIHarness.quote
        let exports = e.map { "export \($0.key)=\(q($0.value))" }.joined(separator: "\n")
        let script = """
            set -m
            \(exports)
            export TMPDIR=\(q(scratch))
            cd \(q(dir.path))
            \(q(NexusBinary.path)) build 'quotes, slowly' --approve yes --json > out.jsonl 2> err.txt &
            pid=$!
            i=0
            while [ $i -lt 400 ] && ! grep -q '"node":"validate"' out.jsonl; do sleep 0.05; i=$((i+1)); done
            sleep 1.5
            before=$(pgrep -f "$TMPDIR/" | wc -l)
            kill -INT $pid
            wait $pid
            echo "exit=$? before=$before"
            sleep 0.5
            echo "after=$(pgrep -f "$TMPDIR/" | wc -l)"
            """
        let out = TUIHarness.shell(script).output
        #expect(out.contains("exit=1"), "\(out) \(TUIHarness.shell("cat \(q(dir.path))/err.txt").output)")
        #expect(!out.contains("before=0"), "the gate was running sandboxed children when Ctrl-C came: \(out)")
        #expect(out.contains("after=0"), "no sandboxed child outlives the cancelled build: \(out)")
        let events = BuildEndToEnd.events(TUIHarness.shell("cat \(q(dir.path))/out.jsonl").output)
        #expect(events.last?["outcome"]?.stringValue == "cancelled", "\(events.suffix(3))")
        #expect(!BuildEndToEnd(dir: dir).installed(e))
        #expect(NexusBinary.run(["modules", "builds"], env: e).stdout.contains("cancelled"))
    }
}
