import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

#if canImport(Glibc)
    import Glibc
#endif

/// A spec and a tool's arguments are hostile input (issue 15 hardening): a spec cannot put a metadata
/// service, a private network or a link-local address into the module's `network.allow` on its own word, and
/// no path argument can make a request leave its operation's path.
@Suite(.serialized) struct OpenAPIHardeningTests {
    static func spec(server: String, tokenURL: String? = nil, path: String = "/files/{name}") -> String {
        var s = """
            openapi: 3.0.0
            info: {title: Files, version: "1"}
            servers: [{url: "\(server)"}]
            paths:
              \(path): {get: {operationId: getFile, parameters: [{name: name, in: path, required: true, schema: {type: string}}], responses: {"200": {description: ok}}}}

            """
        if let tokenURL {
            s += """
                components:
                  securitySchemes:
                    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: "\(tokenURL)", scopes: {}}}}
                security: [{oauth: []}]

                """
        }
        return s
    }

    @Test(arguments: [
        ("http://169.254.169.254/latest", "link-local"),
        ("http://[fe80::1]:8080", "link-local"),
        ("http://10.0.0.7/api", "private"),
        ("https://192.168.1.20", "private"),
        ("http://172.16.4.4:9000", "private"),
        ("http://100.64.0.1", "shared (CGNAT"),
        ("http://0.0.0.0:80", "unspecified"),
        ("http://metadata.google.internal/computeMetadata/v1", "cloud metadata"),
        ("http://metadata/latest", "cloud metadata"),
        ("http://2852039166/", "non-standard form"),
        ("http://0xa9fea9fe/", "non-standard form"),
        ("http://0251.0376.0251.0376/", "non-standard form"),
        ("http://nas/api", "single-label"),
        ("https://printer.local/api", "private-network name"),
        ("https://vault.corp.internal/v1", "private-network name (.internal)"),
    ])
    func aSpecNamingANonPublicServerIsRefusedWithTheWayOut(server: String, reason: String) throws {
        let doc = try OpenAPIDocument.parse(Self.spec(server: server), source: "evil.yaml")
        do {
            _ = try OpenAPIGenerator.generate(doc, options: OpenAPIOptions())
            Issue.record("\(server) was accepted")
        } catch {
            #expect(error.exitCode == .usage)
            #expect(error.userMessage.hasPrefix("openapi: evil.yaml names the server"), "\(error.userMessage)")
            #expect(error.userMessage.contains("not a public or loopback address"))
            #expect(error.hint?.contains("--base-url") == true)
            #expect(error.userMessage.contains(reason), "\(server): \(error.userMessage)")
        }
    }

    @Test func publicAndLoopbackServersPassAndBaseURLNamesAnyHostOnPurpose() throws {
        for server in [
            "https://api.example.com/v1", "http://127.0.0.1:18301", "http://localhost:8080", "http://[::1]:9000",
            "https://8.8.8.8/x",
        ] {
            let doc = try OpenAPIDocument.parse(Self.spec(server: server), source: "ok.yaml")
            #expect(throws: Never.self, "\(server)") { try OpenAPIGenerator.generate(doc, options: OpenAPIOptions()) }
        }
        let doc = try OpenAPIDocument.parse(Self.spec(server: "http://169.254.169.254"), source: "evil.yaml")
        let out = try OpenAPIGenerator.generate(doc, options: OpenAPIOptions(baseURL: "http://10.1.2.3:8080/api"))
        #expect(out.plan.hosts == ["10.1.2.3:8080"], "the user named it: their call")
    }

    @Test func anOAuthTokenURLOnAPrivateAddressIsRefusedUnlessItIsTheHostTheUserNamed() throws {
        let evil = try OpenAPIDocument.parse(
            Self.spec(server: "https://api.example.com", tokenURL: "http://169.254.169.254/token"), source: "t.yaml")
        #expect(throws: OpenAPIError.self) { try OpenAPIGenerator.generate(evil, options: OpenAPIOptions()) }
        #expect(throws: OpenAPIError.self) {
            try OpenAPIGenerator.generate(evil, options: OpenAPIOptions(baseURL: "https://api.example.com"))
        }
        let named = try OpenAPIDocument.parse(
            Self.spec(server: "https://api.example.com", tokenURL: "http://10.0.0.2:8443/token"), source: "t.yaml")
        let out = try OpenAPIGenerator.generate(named, options: OpenAPIOptions(baseURL: "http://10.0.0.2:8443/api"))
        #expect(out.plan.hosts == ["10.0.0.2:8443"])
    }

    /// A loopback server that records each request line's raw path, as a real server would see it before
    /// it resolves `.` and `..` segments.
    static let recorder = """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with open(sys.argv[1], "a") as fh:
                    fh.write(self.path + "\\n")
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *a):
                pass
        s = http.server.HTTPServer(("127.0.0.1", 0), H)
        print(s.server_address[1], flush=True)
        s.serve_forever()
        """

    @Test func pathValuesOfDotsOrSlashesNeverLeaveTheOperationsPathOnTheWire() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = dir.path + "/paths.log"
        let script = dir.write("recorder.py", Self.recorder)
        let r = Subprocess.run(
            ["/bin/sh", "-c", "python3 -u '\(script)' '\(log)' > '\(dir.path)/port' 2>/dev/null & echo $!"],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"])
        let pid = pid_t(r.stdout.filter(\.isNumber)) ?? 0
        try #require(pid > 0)
        defer { kill(pid, SIGKILL) }
        var port = ""
        for _ in 0..<600 where port.isEmpty {
            usleep(50_000)
            port = ((try? FileSystem.readText(dir.path + "/port")) ?? "").filter(\.isNumber)
        }
        try #require(!port.isEmpty, "the recorder did not start")
        let doc = try OpenAPIDocument.parse(
            Self.spec(server: "http://127.0.0.1:\(port)/v1", path: "/files/{name}/meta"), source: "files.yaml")
        let out = try OpenAPIGenerator.generate(doc, options: OpenAPIOptions())
        let module = dir.path + "/module"
        try FileSystem.ensureDirectory(module)
        for f in out.files.files { try FileSystem.writeAtomically(module + "/" + f.path, text: f.content) }
        let calls = #"""
            import sys
            sys.path.insert(0, sys.argv[1])
            from adapter import FilesAdapter
            a = FilesAdapter()
            for value in ["..", ".", "../../admin", "a/../../b", "...", "%2e%2e", "ok.txt"]:
                a.call_tool("get_file", {"name": value})
            """#
        let run = Subprocess.run(
            ["/usr/bin/env", "python3", "-B", "-c", calls, module],
            environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": GateFixture.templates, "LANG": "C.UTF-8",
            ], timeout: 30)
        #expect(run.status == 0, "\(run.stderr.suffix(800))")
        let seen = ((try? FileSystem.readText(log)) ?? "").split(separator: "\n").map(String.init)
        #expect(
            seen == [
                "/v1/files/%2E%2E/meta", "/v1/files/%2E/meta", "/v1/files/..%2F..%2Fadmin/meta",
                "/v1/files/a%2F..%2F..%2Fb/meta", "/v1/files/%2E%2E%2E/meta", "/v1/files/%252e%252e/meta",
                "/v1/files/ok.txt/meta",
            ])
        for path in seen {
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            #expect(!segments.contains(".") && !segments.contains(".."), "\(path) has a dot segment")
            #expect(segments.count == 5, "\(path) is not /v1/files/<one segment>/meta")
        }
    }
}
