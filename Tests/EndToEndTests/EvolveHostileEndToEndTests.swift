import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

/// `nexus evolve` against a hostile (or merely expensive) provider: the real binary, the fake provider over loopback
/// with every call priced at $0.10, the real farm and gate. The budget covers the whole run — the rounds, the lesson
/// call and the candidate template's trial rounds — so no run spends more than `--budget` plus the one call that
/// crossed it.
@Suite(.serialized) struct EvolveHostileEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-evolve-hostile")
    /// Input tokens a reply reports: at $1 per million, $0.10 a call.
    static let tokensPerCall = 100_000

    /// The build specs' environment, every call of both routes priced at $1 per million input tokens.
    func env(_ server: FakeProviderServer, home: String) throws -> [String: String] {
        let e = BuildEndToEnd(dir: dir).env(server, home: home)
        let config = e["NEXUS_CONFIG", default: ""]
        let pricing = ["fake:fake-model", "fake:fake-large"].map {
            "\n[pricing.\"\($0)\"]\ninput_per_mtok = 1.0\noutput_per_mtok = 0.0\n"
        }
        try FileSystem.writeAtomically(config, text: try FileSystem.readText(config) + pricing.joined())
        return e
    }

    static func priced(_ text: String) -> FakeReply {
        .text(text, usage: FakeUsage(input: tokensPerCall, output: 0))
    }

    @Test func theCandidatesTrialRoundsCountAgainstTheBudget() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = try env(server, home: "trial-budget")
        // The parent (the base, "1") solved three more scenarios: the trial's regression set holds four.
        #expect(NexusBinary.run(["evolve", "status"], env: e).status == 0)
        let db = try Database(path: e["NEXUS_HOME", default: ""] + "/nexus.db")
        for scenario in ["api_key_query", "basic_auth", "bearer_token"] {
            try db.execute(
                """
                INSERT INTO evolve_attempts (run_id, scenario, level, template_version, model, outcome, failures,
                    repairs, seconds, cost_usd, tokens_in, tokens_out, build_id, started_at)
                VALUES ('earlier', '\(scenario)', 1, '1', 'fake:fake-model', 'solved', '[]', 0, 1, 0, 0, 0, '-', 0)
                """)
        }
        // The round: a module the judge fails, its repair, the lesson ($0.30). The trial: api_key_header solved
        // after a repair ($0.20, $0.50 in all), then replies that are no module at all, as long as calls are made.
        server.enqueue(
            Self.priced(BuildFixture.reply(EvolveFixture.wrongCredentialName)),
            Self.priced(BuildFixture.reply(EvolveFixture.good)),
            Self.priced(EvolveEndToEnd.lesson),
            Self.priced(BuildFixture.reply(EvolveFixture.wrongCredentialName)),
            Self.priced(BuildFixture.reply(EvolveFixture.good)))
        for _ in 0..<12 { server.enqueue(Self.priced("no module")) }
        let r = NexusBinary.run(
            ["evolve", "--rounds", "1", "--scenario", "api_key_header", "--budget", "0.55", "--approve", "yes"], env: e,
            timeout: 180)
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("trying it on 4 challenge(s)"), "\(r.stdout)")
        #expect(r.stdout.contains("not adopted (its trial did not finish)"), "\(r.stdout)")
        // $0.50 spent when the second trial round starts: one call ($0.60), then the budget stops it. Before the
        // trial's rounds were counted, that round saw only the $0.30 of the run's own round and made three.
        #expect(server.chatRequests.count == 6, "\(server.chatRequests.count) calls; stdout: \(r.stdout)")
        #expect(!server.chatRequests.contains { $0.body.contains("category: output") }, "no repair after the budget")
        // The run's last line tells what the whole run cost, the trial included.
        #expect(r.stdout.contains("evolve: 1 round, 1 solved, $0.6000"), "\(r.stdout)")
    }
}

extension EvolveHostileEndToEnd {
    /// A cloud model no price is known for: the ledger prices its calls at $0, so the budget cannot stop the run.
    /// The run says so before it starts (the provider here is never reached: `.invalid` does not resolve).
    @Test func aRunOnAModelWithNoPriceSaysTheBudgetCannotStopIt() throws {
        try #require(NexusBinary.exists)
        let config = dir.write(
            "unpriced.toml",
            """
            [providers.mystery]
            kind = "openai"
            base_url = "http://mystery.invalid/v1"
            [routing]
            code_generation = "mystery:mystery-coder"
            test_validation = "mystery:mystery-coder"
            simple_query = "mystery:mystery-coder"
            """)
        let e = [
            "NEXUS_HOME": dir.path + "/unpriced", "NEXUS_CONFIG": config, "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": BuildEndToEnd.key, "MYSTERY_API_KEY": "k",
        ]
        let r = NexusBinary.run(
            ["evolve", "--rounds", "1", "--scenario", "api_key_header", "--approve", "yes"], env: e, timeout: 120)
        #expect(
            r.stdout.contains("evolve: no price is known for mystery:mystery-coder: --budget cannot stop this run"),
            "stdout: \(r.stdout)\nstderr: \(r.stderr)")
    }
}
