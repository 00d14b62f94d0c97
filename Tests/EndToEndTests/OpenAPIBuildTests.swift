import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus build --openapi` as a user runs it (issue 15): a farm server on loopback, the build with no model,
/// the real gate and installer, then a tool call of the installed module in a chat turn scripted by the
/// fake provider; and the spec errors, each exit 2 with nothing installed.
@Suite(.serialized) struct OpenAPIBuildEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-openapi")
    static let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

    func env(_ server: FakeProviderServer, home: String) -> [String: String] { Self.env(server, home: home, in: dir) }

    /// A home under `dir` whose config routes every model call to the fake provider.
    static func env(_ server: FakeProviderServer, home: String, in dir: TemporaryDirectory) -> [String: String] {
        let config = dir.write(
            "\(home).toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            [routing]
            simple_query = "fake:fake-model"
            code_generation = "fake:fake-model"
            """)
        return [
            "NEXUS_HOME": dir.path + "/" + home, "NEXUS_CONFIG": config, "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": key,
        ]
    }

    /// Starts `farm/<scenario>/server.py` in the background (through sh, so it outlives the call) and waits
    /// until it listens; returns its pid.
    func farm(_ scenario: String) throws -> pid_t {
        let log = dir.path + "/\(scenario).stderr"
        let server = NexusBinary.packageRoot + "/farm/\(scenario)/server.py"
        let r = Subprocess.run(
            [
                "/bin/sh", "-c",
                "python3 -B '\(server)' --log '\(dir.path)/\(scenario).jsonl' </dev/null >/dev/null 2>'\(log)' & echo $!",
            ],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"])
        let pid = pid_t(r.stdout.filter(\.isNumber)) ?? 0
        try #require(pid > 0, "could not start the farm: \(r.stderr)")
        for _ in 0..<600 {
            if let t = try? FileSystem.readText(log), t.contains("listening") { return pid }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        throw NexusError("farm \(scenario) did not start: \((try? FileSystem.readText(log)) ?? "")")
    }

    @Test func aFarmSpecBuildsWithNoModelInstallsAndAnswersAToolCallInATurn() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let pid = try farm("api_key_header")
        defer { kill(pid, SIGKILL) }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "h1")
        let key = dir.write("key", "farm-key-1\n")
        let b = NexusBinary.run(
            [
                "build", "--openapi", NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml", "--no-model",
                "--yes",
                "--name", "inventory", "--credential", "api_key_auth=@\(key)",
            ], env: e)
        #expect(b.status == 0, "stdout: \(b.stdout.suffix(1500)) stderr: \(b.stderr.suffix(1500))")
        let shown = b.stdout + b.stderr
        #expect(shown.contains("openapi:generator"))
        #expect(shown.contains("may reach a service on this machine: 127.0.0.1:18301"), "the approval says it plainly")
        #expect(shown.contains("Installed module inventory 1.0.0"))
        #expect(server.chatRequests.isEmpty, "no model was called for the build")
        server.enqueue(
            .toolCall(name: "inventory__get_item", arguments: #"{"id":"c3"}"#), .text("A chisel, 12 in stock."))
        let r = NexusBinary.run(["-p", "how many chisels are left?"], env: e)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "A chisel, 12 in stock.\n")
        let followUp = server.chatRequests.last?.body ?? ""
        #expect(followUp.contains(#"\"name\":\"chisel\""#) || followUp.contains("chisel"), "\(followUp.suffix(500))")
        let requests = (try? FileSystem.readText(dir.path + "/api_key_header.jsonl")) ?? ""
        #expect(requests.contains(#""path": "/v1/items/c3""#), "the farm logged the call: \(requests)")
    }

    @Test func theGatesContractCheckMakesTheFarmsAcceptanceCallsAndAWrongAnswerFailsTheBuild() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        // A copy of the farm whose acceptance file expects a stock the server never reports.
        let farm = dir.path + "/farm"
        let scenario = farm + "/api_key_header"
        try FileSystem.ensureDirectory(scenario)
        let source = NexusBinary.packageRoot + "/farm"
        for f in ["api_key_header/server.py", "api_key_header/openapi.yaml", "farmlib.py"] {
            try FileSystem.writeAtomically(farm + "/" + f, text: try FileSystem.readText(source + "/" + f))
        }
        let good = try FileSystem.readText(source + "/api_key_header/acceptance.json")
        try FileSystem.writeAtomically(
            scenario + "/acceptance.json", text: good.replacing(#""stock": 12"#, with: #""stock": 99"#))
        var e = env(server, home: "contract")
        e["NEXUS_FARM"] = farm
        let r = NexusBinary.run(
            ["build", "--openapi", scenario + "/openapi.yaml", "--no-model", "--yes", "--name", "inventory"], env: e)
        let shown = r.stdout + r.stderr
        #expect(r.status == 1, "\(shown.suffix(1500))")
        #expect(shown.contains("failed contract"), "\(shown.suffix(1500))")
        #expect(shown.contains("farm api_key_header: 3/4 acceptance checks passed"), "\(shown.suffix(1500))")
        #expect(!NexusBinary.run(["modules", "list"], env: e).stdout.contains("inventory"))
        try FileSystem.writeAtomically(scenario + "/acceptance.json", text: good)
        let ok = NexusBinary.run(
            ["build", "--openapi", scenario + "/openapi.yaml", "--no-model", "--approve", "no"], env: e)
        #expect((ok.stdout + ok.stderr).contains("check contract           pass"), "\(ok.stderr.suffix(1500))")
    }

    @Test func aSpecURLIsFetchedAndAnUnreachableOneExitsTwoWithNothingInstalled() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let pid = try farm("api_key_header")
        defer { kill(pid, SIGKILL) }
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "url")
        let ok = NexusBinary.run(
            ["build", "--openapi", "http://127.0.0.1:18301/openapi.yaml", "--no-model", "--approve", "no"], env: e)
        #expect(ok.status == 3, "stderr: \(ok.stderr.suffix(800))")
        #expect((ok.stdout + ok.stderr).contains("passed the gate"))
        let down = NexusBinary.run(
            ["build", "--openapi", "http://127.0.0.1:9/openapi.yaml", "--no-model", "--yes"], env: e)
        #expect(down.status == 2)
        #expect(down.stderr.contains("openapi: cannot fetch http://127.0.0.1:9/openapi.yaml"), "\(down.stderr)")
        let missing = NexusBinary.run(
            ["build", "--openapi", "http://127.0.0.1:18301/none.yaml", "--no-model", "--yes"], env: e)
        #expect(missing.status == 2 && missing.stderr.contains("HTTP 404"), "\(missing.stderr)")
        #expect(!NexusBinary.run(["modules", "list"], env: e).stdout.contains("farm_inventory"))
    }

    @Test(arguments: [
        ("broken.yaml", "openapi: 3.0.0\ninfo:\n  title: [unclosed\n", "broken.yaml:4:1: malformed YAML"),
        ("broken.json", "{\n  \"openapi\": \"3.0.0\",\n  x\n}", "broken.json:3:3: malformed JSON"),
        ("old.yaml", "swagger: \"1.2\"\n", "supported are OpenAPI 3.0, 3.1 and Swagger 2.0"),
        (
            "nohost.yaml", "openapi: 3.0.0\ninfo: {title: x, version: \"1\"}\npaths: {/a: {get: {responses: {}}}}\n",
            "no --base-url"
        ),
        (
            "cycle.yaml",
            """
            openapi: 3.0.0
            info: {title: x, version: "1"}
            servers: [{url: "https://api.example.com"}]
            paths: {/a: {post: {requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/N"}}}}, responses: {}}}}
            components: {schemas: {N: {type: object, required: [next], properties: {next: {$ref: "#/components/schemas/N"}}}}}
            """,
            "#/components/schemas/N is a $ref cycle through required fields"
        ),
        (
            "metadata.yaml",
            "openapi: 3.0.0\ninfo: {title: x, version: \"1\"}\nservers: [{url: \"http://169.254.169.254/latest\"}]\n"
                + "paths: {/meta-data: {get: {responses: {}}}}\n",
            "names the server http://169.254.169.254/latest, which is link-local, not a public or loopback address"
        ),
    ])
    func specErrorsExitTwoWithOneLineAndNothingInstalled(file: String, text: String, message: String) throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "bad-\(file)")
        let spec = dir.write(file, text)
        let r = NexusBinary.run(["build", "--openapi", spec, "--no-model", "--yes"], env: e)
        #expect(r.status == 2, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(!NexusBinary.run(["modules", "list"], env: e).stdout.contains("installed"))
        #expect(server.chatRequests.isEmpty)
    }

    @Test func aFiftyMegabyteSpecExitsTwoBeforeItIsReadAndNothingIsInstalled() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "big")
        let spec = dir.write("big.yaml", "openapi: 3.0.0\n# " + String(repeating: "x", count: 50 << 20) + "\n")
        let r = NexusBinary.run(["build", "--openapi", spec, "--yes"], env: e)
        #expect(r.status == 2, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("is larger than the 16 MB limit for a spec"), "\(r.stderr)")
        #expect(FileSystem.list(dir.path + "/big/builds").isEmpty, "no workspace was made")
        #expect(!NexusBinary.run(["modules", "list"], env: e).stdout.contains("installed"))
    }

    @Test func collidingOperationIdsAndNonJSONBodiesAreNotedInTheBuildAndTheRestIsBuilt() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        let spec = dir.write(
            "notes.yaml",
            """
            openapi: 3.0.0
            info: {title: Notes, version: "1"}
            servers: [{url: "https://api.example.com"}]
            paths:
              /a: {get: {operationId: getThing, responses: {"200": {description: ok}}}}
              /b: {get: {operationId: getThing, responses: {"200": {description: ok}}}}
              /upload: {post: {operationId: upload, requestBody: {content: {multipart/form-data: {schema: {type: object}}}}, responses: {"200": {description: ok}}}}
            """)
        let r = NexusBinary.run(
            ["build", "--openapi", spec, "--no-model", "--approve", "no"], env: env(server, home: "notes"))
        let shown = r.stdout + r.stderr
        #expect(r.status == 3, "\(shown.suffix(1500))")
        #expect(shown.contains("openapi: operationId getThing is used by GET /a and GET /b"), "\(shown.suffix(1500))")
        #expect(shown.contains("multipart/form-data"), "\(shown.suffix(1500))")
        #expect(shown.contains("2 of 2 operations generated"), "\(shown.suffix(1500))")
    }

    @Test func aPublishedRealSpecBuildsWithNoModelAndPassesTheGateThroughTheCommand() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        let spec = NexusBinary.packageRoot + "/testdata/openapi-real/airflow.yaml"
        let r = NexusBinary.run(
            [
                "build", "--openapi", spec, "--no-model", "--base-url", "http://127.0.0.1:8080/api/v1",
                "--approve", "no",
            ], env: env(server, home: "airflow"))
        let shown = r.stdout + r.stderr
        #expect(r.status == 3, "\(shown.suffix(1500))")
        #expect(shown.contains("openapi: 40 of 89 operations generated (cap 40, GETs first)"))
        #expect(shown.contains("passed the gate"), "\(shown.suffix(1500))")
        #expect(server.chatRequests.isEmpty)
    }
}
