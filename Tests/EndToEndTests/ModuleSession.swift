import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A nexus home for module end-to-end tests, with the fake model server as provider: its environment,
/// one scripted turn that calls a module's tool, and a minimal MCP server written in Python.
struct ModuleSession {
    let dir: TemporaryDirectory
    let server: FakeProviderServer
    let env: [String: String]

    /// `dir/home` as NEXUS_HOME; the config lives in a directory of its own, because nexus's config
    /// directory never enters a sandbox and tests grant paths inside `dir`.
    init(dir: TemporaryDirectory, server: FakeProviderServer, home: String) {
        self.dir = dir
        self.server = server
        mkdir(dir.path + "/config-\(home)", 0o700)
        let config = dir.write(
            "config-\(home)/nexus.toml",
            """
            [providers.fake]
            kind = "openai"
            base_url = "\(server.baseURL(for: .openai))"
            [routing]
            simple_query = "fake:fake-model"
            """)
        env = [
            "NEXUS_HOME": dir.path + "/" + home, "NEXUS_CONFIG": config, "NO_COLOR": "1",
            "MODULE_ENCRYPTION_KEY": String(repeating: "ab", count: 32),
        ]
    }

    var home: String { env["NEXUS_HOME"] ?? "" }

    /// One turn in which the model calls `tool`; returns the follow-up request, which carries what the
    /// tool answered as the model saw it.
    func turn(tool: String, arguments: String = "{}") -> String {
        server.enqueue(.toolCall(name: tool, arguments: arguments), .text("ok"))
        let r = NexusBinary.run(["-p", "go"], env: env, timeout: 90)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        return server.chatRequests.last?.body ?? ""
    }

    /// `.build/NAME/bin/python3` when that venv (made by scripts/setup.sh --test) can import `module`.
    static func venv(_ name: String, has module: String) -> String? {
        let python = NexusBinary.packageRoot + "/.build/\(name)/bin/python3"
        let ok = Subprocess.run([python, "-c", "import \(module)"], environment: ["PATH": "/usr/bin:/bin"]).status == 0
        return ok ? python : nil
    }

    /// A raw MCP server over stdio offering `tools`; `call` is the Python body run for `tools/call`
    /// with `name` bound to the tool's name, setting `text` to the answer.
    static func stubServer(tools: [String], call: String) -> String {
        let list = tools.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            import json, os, sys
            def answer(name):
            \(call.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                return text
            for line in sys.stdin:
                msg = json.loads(line)
                rid, method = msg.get("id"), msg.get("method")
                if rid is None:
                    continue
                if method == "initialize":
                    result = {"protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                              "serverInfo": {"name": "stub"}}
                elif method == "tools/list":
                    result = {"tools": [{"name": n, "description": n, "inputSchema": {"type": "object"}} for n in (\(list),)]}
                elif method == "tools/call":
                    result = {"content": [{"type": "text", "text": answer(msg["params"]["name"])}]}
                else:
                    result = {}
                sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}) + "\\n")
                sys.stdout.flush()
            """
    }
}
