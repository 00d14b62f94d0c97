import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus build` used wrongly says what to type at the command line, not the chat's `/build`.
@Suite struct BuildUsageEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-build-usage")

    var env: [String: String] { ["NEXUS_HOME": dir.path + "/home", "NO_COLOR": "1"] }

    @Test func buildWithNothingToBuildNamesTheCommandLineUsage() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["build"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("e.g. nexus build \""), "\(r.stderr)")
        #expect(!r.stderr.contains("/build"), "the command line is not the chat: \(r.stderr)")
    }

    /// It said `--docs /x/api.md: /x/api.md: no such file`.
    @Test func aDocsFileThatIsNotThereIsNamedOnce() throws {
        try #require(NexusBinary.exists)
        let docs = dir.path + "/no-such-api.md"
        let r = NexusBinary.run(["build", "an integration for the cat facts API", "--docs", docs, "--yes"], env: env)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--docs \(docs): "), "\(r.stderr)")
        #expect(r.stderr.ranges(of: docs).count == 1, "the path once: \(r.stderr)")
    }

    @Test func aBuildOptionMisusedPointsToTheCommandsHelp() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["build", "quotes", "--no-model"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--no-model") && r.stderr.contains("nexus build --help"), "\(r.stderr)")
        #expect(!r.stderr.contains("/build"), "\(r.stderr)")
        #expect(access(dir.path + "/home/builds", F_OK) != 0, "no build was started")
    }

    @Test func aBuildWithNoModelForCodeGenerationSaysWhyItHasNoAttempts() throws {
        try #require(NexusBinary.exists)
        let config = dir.write(
            "no-route.toml", "[providers.remote]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\n")
        var e = env
        e["NEXUS_CONFIG"] = config
        let r = NexusBinary.run(["build", "a module for the cat facts API", "--yes"], env: e)
        #expect(r.status != 0)
        // A provider declared without a route is named as that, with where to add the route (chat11's wording).
        #expect(r.stderr.contains("no model is routed for code_generation"), "\(r.stderr)")
        #expect(r.stderr.contains("stopped before its first attempt; nothing was installed"), "\(r.stderr)")
        #expect(r.stderr.contains("the build's record: nexus modules builds "), "\(r.stderr)")
        let list = NexusBinary.run(["modules", "builds"], env: e).stdout
        let id = String(list.split(separator: "\n").dropFirst().first?.prefix(8) ?? "")
        let shown = NexusBinary.run(["modules", "builds", id], env: e).stdout
        #expect(
            shown.contains("attempts: none: it stopped before its first model call"),
            "an empty attempt list says why: \(shown)")
    }

    @Test func aFarmScenarioThatDoesNotExistIsRefusedBeforeTheBuild() throws {
        try #require(NexusBinary.exists)
        let spec = NexusBinary.packageRoot + "/farm/bearer_token/openapi.yaml"
        let r = NexusBinary.run(["build", "--openapi", spec, "--no-model", "--farm", "nosuch", "--yes"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("build: no farm scenario nosuch"), "\(r.stderr)")
        #expect(r.stderr.contains("choose one of: api_key_header"), "\(r.stderr)")
        #expect(access(dir.path + "/home/builds", F_OK) != 0, "no build was started")
    }

    @Test func aSpecThatIsNotThereIsNamedOnce() throws {
        try #require(NexusBinary.exists)
        let spec = dir.path + "/no-such-spec.yaml"
        let r = NexusBinary.run(["build", "--openapi", spec, "--no-model", "--yes"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("openapi: cannot read \(spec): no such file"), "\(r.stderr)")
        #expect(r.stderr.ranges(of: spec).count == 1, "the path once: \(r.stderr)")
    }
}
