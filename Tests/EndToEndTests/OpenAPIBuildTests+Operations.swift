import NexusCore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--operations` narrows a build on purpose: the farm's contract check does not count the operations left
/// out against the module, and says which it did not check.
extension OpenAPIBuildEndToEnd {
    @Test func operationsLeftOutOnPurposeAreNotHeldAgainstTheModuleByTheContractCheck() throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "narrowed")
        let spec = NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml"
        let r = NexusBinary.run(
            ["build", "--openapi", spec, "--no-model", "--approve", "no", "--operations", "get_item", "--json"],
            env: e)
        let shown = r.stdout + r.stderr
        #expect(shown.contains("check contract           pass"), "\(shown.suffix(1500))")
        #expect(
            r.stdout.contains("acceptance checks passed (not checked, left out of the build: list_items)"),
            "the proof says what it did not check: \(r.stdout.suffix(1500))")
        #expect(r.status == 3, "the build got as far as asking: \(shown.suffix(800))")
    }
}
