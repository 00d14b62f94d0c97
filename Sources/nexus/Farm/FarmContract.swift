import NexusCore
import NexusEvolution
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusStore

/// The gate's contract check (g) against the challenge farm (issue 15): when a module was generated from a
/// farm scenario's spec (its openapi_build.json names `farm/<scenario>/openapi.yaml` or that server's
/// `/openapi.yaml`), the scenario's server is started (or the one already listening is used), the module runs
/// in the sandbox like an installed one (integration mode: only its `network.allow`), and every acceptance
/// check is made as an MCP tool call. Other modules: no check (skipped, as before).
enum FarmContract {
    static func hook(_ ctx: NexusContext) -> ContractCheck.Hook? {
        guard let farm = FarmCommand.locate(ctx.environment) else { return nil }
        let launcher = ModuleLaunchers.make(ctx)
        let path = ctx.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return { manifest, folder in
            await check(manifest: manifest, folder: folder, farm: farm, launcher: launcher, path: path)
        }
    }

    /// The scenario a module's openapi_build.json points at, if any.
    static func scenario(folder: String, farm: String) -> String? {
        // Not a farm-built module: no contract check.
        guard let text = try? FileSystem.readText(folder + "/openapi_build.json", limit: 1 << 20),
            let spec = (try? JSONValue(parsing: text))?["spec"]?.stringValue
        else { return nil }
        for s in FarmCommand.scenarios(farm) {
            let port = FarmCommand.describe(farm, s).port
            if spec.hasSuffix("/farm/\(s)/openapi.yaml") || spec == "farm/\(s)/openapi.yaml"
                || spec == "http://127.0.0.1:\(port)/openapi.yaml"
            {
                return s
            }
        }
        return nil
    }

    static func check(
        manifest: ModuleManifest, folder: String, farm: String, launcher: any ModuleLauncher, path: String
    ) async -> GateCheck? {
        guard let s = scenario(folder: folder, farm: farm),
            // Not a farm scenario with an acceptance file: no contract check.
            let acceptance = try? JSONValue(parsing: FileSystem.readText(farm + "/\(s)/acceptance.json"))
        else { return nil }
        let start = MonotonicClock.nanoseconds()
        func seconds() -> Double { MonotonicClock.millisSince(start) / 1000 }
        let scratch = "/tmp/nexus-farm-contract-\(ProcessControl.currentID)-\(MonotonicClock.nanoseconds())"
        // A scratch folder that cannot be made fails the server start below, which is reported.
        try? FileSystem.ensureDirectory(scratch, mode: 0o700)
        defer { ModuleFiles.removeTree(scratch) }
        // A server of this scenario may already listen (nexus farm serve, the bench): then it is used.
        let server = FarmServer.start(dir: farm + "/" + s, log: scratch + "/requests.jsonl")
        defer { server?.stop() }
        var env = ["HOME": scratch, "PATH": path, "LANG": "C.UTF-8"]
        for (name, value) in acceptance["credentials"]?.objectValue?.pairs ?? [] {
            if let c = manifest.credentials.first(where: { $0.name == name }) { env[c.env] = value.stringValue ?? "" }
        }
        let process: LaunchedProcess
        do {
            process = try launcher.launch(
                LaunchSpec(
                    module: manifest.name, command: manifest.runtime.command, workingDirectory: folder,
                    environment: env,
                    networkAllow: manifest.networkAllow))
        } catch {
            return .fail("contract", .contract, "farm \(s): the module did not start: \(error)", seconds: seconds())
        }
        let client = MCPClient(
            module: manifest.name, process: process, log: ModuleLog(path: scratch + "/module.log"),
            limits: MCPLimits(handshakeTimeout: 15, requestTimeout: 30))
        defer { client.close(graceMs: 200) }
        var failures: [String] = []
        let checks = acceptance["checks"]?.arrayValue ?? []
        do {
            try await client.initialize()
            for (i, c) in checks.enumerated() {
                let tool = c["tool"]?.stringValue ?? ""
                var text: String
                do {
                    let r = try await client.callTool(name: tool, arguments: c["arguments"] ?? .object(JSONObject()))
                    text = (r.isError ? "ERROR: " : "") + r.text
                } catch {
                    text = "ERROR: \(error)"
                }
                if let problem = AcceptanceCheck.problem(result: text, expect: c["expect"] ?? .null, status: 0) {
                    failures.append("#\(i + 1) \(tool): \(problem)")
                }
            }
        } catch {
            return .fail("contract", .contract, "farm \(s): MCP handshake failed: \(error)", seconds: seconds())
        }
        if failures.isEmpty {
            return .pass(
                "contract", "farm \(s): \(checks.count)/\(checks.count) acceptance checks passed", seconds: seconds())
        }
        return .fail(
            "contract", .contract,
            "farm \(s): \(checks.count - failures.count)/\(checks.count) acceptance checks passed\n"
                + failures.joined(separator: "\n"), seconds: seconds())
    }
}
