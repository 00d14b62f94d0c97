import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus farm serve` tells the person serving a scenario what credentials its server accepts, so the
/// build they run next (`--credential NAME=@FILE`) can be given them.
@Suite struct FarmServeEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-farm-serve")

    @Test func farmServeSaysWhichCredentialsTheScenarioAccepts() throws {
        try #require(NexusBinary.exists)
        mkdir(dir.path + "/farm", 0o755)
        mkdir(dir.path + "/farm/door", 0o755)
        // A server that says it listens and ends at once, so the command returns.
        dir.write("farm/door/server.py", "\"\"\"Scenario door: a door that wants a key.\"\"\"\nprint('served')\n")
        dir.write("farm/door/acceptance.json", #"{"credentials": {"door_key": "open-sesame"}, "calls": []}"#)
        let r = NexusBinary.run(["farm", "serve", "door"], env: ["NEXUS_FARM": dir.path + "/farm"], timeout: 30)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("served"))
        #expect(r.stderr.contains("door_key=open-sesame"), "the key to give the build: \(r.stderr)")
    }
}
