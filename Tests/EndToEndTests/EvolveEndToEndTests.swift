import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

/// `nexus evolve` end to end: the real binary, the fake model over loopback scripted to write a module for the
/// farm's api_key_header scenario that fails the judge first and is repaired, the real farm server, the real gate
/// in the sandbox. Nothing is installed; the round is in the record and `nexus evolve status` shows it.
@Suite(.serialized) struct EvolveEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-evolve")

    func env(_ server: FakeProviderServer, home: String) -> [String: String] {
        BuildEndToEnd(dir: dir).env(server, home: home)
    }

    @Test func aRoundThatFailsTheJudgeAndIsRepairedIsRecordedAsSolvedAndNothingIsInstalled() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(
            .text(BuildFixture.reply(EvolveFixture.wrongCredentialName)), .text(BuildFixture.reply(EvolveFixture.good)))
        let e = env(server, home: "round")
        let r = NexusBinary.run(
            ["evolve", "--rounds", "1", "--scenario", "api_key_header", "--approve", "yes"], env: e, timeout: 120)
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("round 1/1: api_key_header, level 1 (guided) — never tried"), "\(r.stdout)")
        #expect(r.stdout.contains("failed contract [contract]"), "\(r.stdout)")
        #expect(r.stdout.contains("solved after 1 repair"), "\(r.stdout)")
        #expect(r.stdout.contains("nothing is installed"))
        // The request a person would type: the scenario's loopback URL, its tools and credential, the docs.
        try #require(server.chatRequests.count == 2)
        let first = server.chatRequests[0].body
        #expect(first.contains("http://127.0.0.1:18301/v1") && first.contains("list_items"))
        #expect(first.contains("api_key_auth") && first.contains("openapi: 3.0.3"))
        #expect(server.chatRequests[1].body.contains("category: contract"))
        // Never installed; the files are kept for inspection.
        let list = NexusBinary.run(["modules", "list"], env: e).stdout
        #expect(!list.contains("evolve_api_key_header"), "\(list)")
        let builds = FileSystem.list(e["NEXUS_HOME", default: ""] + "/evolve/builds")
        #expect(builds.count == 1)
        let kept = e["NEXUS_HOME", default: ""] + "/evolve/builds/\(builds.first ?? "")/attempt-2/adapter.py"
        #expect(FileSystem.kind(of: kept) == .file)
        // The record, through status.
        let status = NexusBinary.run(["evolve", "status", "--json"], env: e)
        #expect(status.status == 0, "\(status.stderr)")
        let json = try JSONValue(parsing: status.stdout)
        let row = json["scenarios"]?.arrayValue?.first { $0["scenario"]?.stringValue == "api_key_header" }
        #expect(row?["solved"]?.intValue == 1 && row?["level"]?.intValue == 1, "\(status.stdout)")
        #expect(row?["categories"]?.arrayValue?.compactMap(\.stringValue) == ["contract"])
        #expect(row?["template_version"]?.stringValue == json["template_version"]?.stringValue)
        #expect(json["categories"]?.arrayValue?.first?["repaired"]?.intValue == 1)
        // Solved at level 1: the next challenge on it is level 2.
        let text = NexusBinary.run(["evolve", "status"], env: e).stdout
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(text)")
        #expect(text.contains("api_key_header") && text.contains("solved L1"), "\(text)")
    }

    @Test func aScriptWithoutApproveYesSpendsNothingAndExitsThree() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "refused")
        let r = NexusBinary.run(["evolve", "--rounds", "2"], env: e, timeout: 60)
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("not started") && r.stderr.contains("--approve yes"), "\(r.stderr)")
        #expect(server.chatRequests.isEmpty)
    }

    @Test func anUnknownScenarioIsAUsageError() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let r = NexusBinary.run(
            ["evolve", "--scenario", "nope", "--approve", "yes"], env: env(server, home: "unknown"), timeout: 60)
        #expect(r.status == 2)
        #expect(r.stderr.contains("no farm scenario nope") && r.stderr.contains("api_key_header"), "\(r.stderr)")
    }

    @Test func aHandEditedRecordRowIsOneLineNamingIt() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "edited")
        #expect(NexusBinary.run(["evolve", "status"], env: e).status == 0)
        let db = try Database(path: e["NEXUS_HOME", default: ""] + "/nexus.db")
        try db.execute(
            """
            INSERT INTO evolve_attempts (run_id, scenario, level, template_version, model, outcome, failures, repairs,
                seconds, cost_usd, tokens_in, tokens_out, build_id, started_at)
            VALUES ('r', 'api_key_header', 1, '3', 'm', 'failed', '{"oops": 1}', 0, 1, 0, 0, 0, 'b', 0)
            """)
        let r = NexusBinary.run(["evolve", "status"], env: e)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.first?.contains("evolve record row 1: failures is not a JSON list") == true, "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && lines.count <= 2, "\(r.stderr)")
    }

    @Test func ctrlCInsideARoundStopsTheRunAndRecordsTheRoundAsInterrupted() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.text(BuildFixture.reply(EvolveFixture.slowTests)))
        let e = env(server, home: "cancel")
        let scratch = dir.path + "/tmp"
        try FileSystem.ensureDirectory(scratch, mode: 0o700)
        let q = TUIHarness.quote
        let exports = e.map { "export \($0.key)=\(q($0.value))" }.joined(separator: "\n")
        let home = q(e["NEXUS_HOME", default: ""])
        let script = """
            set -m
            \(exports)
            export TMPDIR=\(q(scratch))
            cd \(q(dir.path))
            \(q(NexusBinary.path)) evolve --rounds 3 --scenario api_key_header --approve yes > out.txt 2> err.txt &
            pid=$!
            i=0
            while [ $i -lt 400 ] && ! ls \(home)/evolve/builds/*/attempt-1/adapter.py >/dev/null 2>&1; do
                sleep 0.05; i=$((i+1))
            done
            sleep 1.5
            kill -INT $pid
            wait $pid
            echo "exit=$?"
            sleep 0.5
            echo "after=$(pgrep -f "$TMPDIR/" | wc -l)"
            """
        let out = TUIHarness.shell(script).output
        let printed = TUIHarness.shell("cat \(q(dir.path))/out.txt \(q(dir.path))/err.txt").output
        #expect(out.contains("exit=130"), "\(out) \(printed)")
        #expect(out.contains("after=0"), "no sandboxed child outlives the interrupted round: \(out)")
        #expect(printed.contains("interrupted") && !printed.contains("round 2/3"), "\(printed)")
        let status = try JSONValue(parsing: NexusBinary.run(["evolve", "status", "--json"], env: e).stdout)
        let row = status["scenarios"]?.arrayValue?.first { $0["scenario"]?.stringValue == "api_key_header" }
        #expect(row?["rounds"]?.intValue == 1 && row?["stopped"]?.intValue == 1, "\(status.serialized)")
        #expect(row?["solved"]?.intValue == 0 && row?["failed"]?.intValue == 0)
    }
}
