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

    @Test func aBuildOptionMisusedPointsToTheCommandsHelp() throws {
        try #require(NexusBinary.exists)
        let r = NexusBinary.run(["build", "quotes", "--no-model"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--no-model") && r.stderr.contains("nexus build --help"), "\(r.stderr)")
        #expect(!r.stderr.contains("/build"), "\(r.stderr)")
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
