import NexusCore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The way out a failed live test names: set the credential, run `nexus modules test NAME`.
extension OpenAPIBuildEndToEnd {
    @Test func aDegradedLiveTestIsMadeAgainByModulesTestAndPassingItMakesTheModuleHealthy() throws {
        try #require(NexusBinary.exists)
        let pid = try farm("api_key_header")
        defer { kill(pid, SIGKILL) }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "relive")
        let wrong = dir.write("wrong-key", "not-the-farm-key\n")
        let spec = NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml"
        let b = NexusBinary.run(
            [
                "build", "--openapi", spec, "--no-model", "--yes", "--name", "inventory", "--credential",
                "api_key_auth=@\(wrong)",
            ], env: e)
        #expect(b.status == 1, "a degraded build is no success: \(b.stderr)")
        try #require(
            b.stderr.contains("nexus creds set inventory api_key_auth), then run: nexus modules test inventory"),
            "\(b.stderr)")
        let failing = NexusBinary.run(["modules", "test", "inventory"], env: e)
        #expect(failing.status == 1 && failing.stdout.contains("live test list_items: FAILED"), "\(failing.stdout)")
        let set = NexusBinary.run(["creds", "set", "inventory", "api_key_auth"], stdin: "farm-key-1\n", env: e)
        try #require(set.status == 0, "\(set.stderr)")
        let passing = NexusBinary.run(["modules", "test", "inventory"], env: e)
        #expect(passing.status == 0 && passing.stdout.contains("live test list_items: ok"), "\(passing.stdout)")
        let row = NexusBinary.run(["modules", "list"], env: e).stdout.split(separator: "\n").first {
            $0.hasPrefix("inventory ")
        }
        #expect(row?.contains("healthy") == true && row?.contains("live test") == false, "\(row ?? "")")
    }
}
