import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A serving nexus counts what other processes' jailers did (issue 16): a module's egress, made in a chat
/// in another process, and `nexus sandbox exec` runs both show on the server's `/metrics`, read from the
/// sandbox audit log they append to.
extension ModuleSandboxEndToEnd {
    /// A module whose one tool fetches a URL, allowed to reach 127.0.0.1:`port` and nothing else.
    func fetcherModule(allowing port: UInt16) -> String {
        module(
            "fetcher",
            tools: """
                    @tool
                    def fetch(self, url: str) -> str:
                        \"\"\"Fetches a URL.\"\"\"
                        try:
                            with urllib.request.urlopen(url, timeout=10) as r:
                                return "status %d" % r.status
                        except Exception as ex:
                            return "failed: %s" % ex
                """,
            // The fixture manifest has its own (empty) network key; the later one wins.
            manifestExtra: "\"network\": {\"allow\": [\"127.0.0.1:\(port)\"]}")
    }

    /// `nexus serve` on an ephemeral port for `env`'s home; returns its pid and port.
    func serve(_ env: [String: String], log: String) async throws -> (pid: Int32, port: Int) {
        var full = NexusBinary.environment(env)
        full["NEXUS_BUILTIN_MODULES"] = ""
        let pid = try ChildProcess.spawn(
            [NexusBinary.path, "serve", "--admin-port", "0"],
            SpawnOptions(stdin: .null, stdout: .appending(path: log), stderr: .appending(path: log), environment: full))
        for _ in 0..<100 {
            let text = (try? FileSystem.readText(log)) ?? ""
            if let r = text.firstRange(of: "admin API on http://127.0.0.1:") {
                let digits = text[r.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return (pid, port) }
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        kill(pid, SIGINT)
        _ = ChildProcess.reap(pid, within: 10)
        throw NexusError("nexus serve did not start: \((try? FileSystem.readText(log)) ?? "")")
    }

    /// `/metrics` of the server, waiting (up to 15 s) until it holds every one of `series`.
    func metrics(port: Int, containing series: [String]) async throws -> String {
        var text = ""
        for _ in 0..<75 {
            text =
                Subprocess.run(
                    ["/usr/bin/curl", "-s", "http://127.0.0.1:\(port)/metrics"], environment: [:], timeout: 10
                ).stdout
            if series.allSatisfy({ text.contains($0) }) { return text }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return text
    }

    @Test func moduleEgressAndSandboxRunsInOtherProcessesShowInTheServersMetrics() async throws {
        try #require(NexusBinary.exists)
        let server = try FakeProviderServer()
        defer { server.stop() }
        let upstream = try FakeProviderServer()
        defer { upstream.stop() }
        let session = ModuleSession(dir: dir, server: server, home: "served")
        let folder = fetcherModule(allowing: upstream.port)
        let install = NexusBinary.run(["modules", "install", folder, "--yes"], env: session.env)
        try #require(install.status == 0, "install: \(install.stdout) \(install.stderr)")

        let (pid, port) = try await serve(session.env, log: dir.path + "/serve.log")
        defer {
            kill(pid, SIGINT)
            _ = ChildProcess.reap(pid, within: 10)
        }
        let allowed = session.turn(tool: "fetcher__fetch", arguments: #"{"url":"\#(upstream.url)/v1/models"}"#)
        #expect(allowed.contains("status 200"), "\(allowed.suffix(400))")
        let blocked = session.turn(tool: "fetcher__fetch", arguments: #"{"url":"http://blocked.example.com/"}"#)
        #expect(blocked.contains("failed"), "\(blocked.suffix(400))")
        for _ in 0..<2 {
            let run = NexusBinary.run(["sandbox", "exec", "--", "true"], env: session.env)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let text = try await metrics(
            port: port,
            containing: [
                #"nexus_egress_requests_total{module="fetcher",verdict="allowed"} 1"#,
                #"nexus_egress_requests_total{module="fetcher",verdict="blocked"} 1"#,
                #"nexus_sandbox_runs_total{mode="exec",outcome="ok"} 2"#,
            ])
        #expect(text.contains(#"nexus_egress_requests_total{module="fetcher",verdict="allowed"} 1"#), "\(text)")
        #expect(text.contains(#"nexus_egress_requests_total{module="fetcher",verdict="blocked"} 1"#), "\(text)")
        #expect(text.contains(#"nexus_sandbox_runs_total{mode="exec",outcome="ok"} 2"#), "\(text)")
    }
}
