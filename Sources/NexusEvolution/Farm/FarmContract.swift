import NexusCore
import NexusModules
import NexusPOSIX

/// The gate's contract check (g) against the challenge farm (issue 15): when a module was generated from a
/// farm scenario's spec (its openapi_build.json names `farm/<scenario>/openapi.yaml` or that server's
/// `/openapi.yaml`), the scenario's server is started (or the one already listening is used), the module runs
/// in the sandbox like an installed one (integration mode: only its `network.allow`), and every acceptance
/// check is made as an MCP tool call. Other modules: no check (skipped, as before).
///
/// The scenario is the one named (`nexus modules validate PATH --farm SCENARIO`), else the one the module's
/// spec matches: its path or URL, its text (a copy of a scenario's spec anywhere), or its base URL (the
/// scenario's loopback port).
public enum FarmContract {
    /// The gate's contract hook for a farm found at `farm` (nil: no farm, no check), the modules started by
    /// `launcher` (the sandbox, as installed ones are) with `path` as their PATH and `templates` (the runtime
    /// helper's folder, which an installed module carries a copy of and a checked one does not) as PYTHONPATH.
    public static func hook(
        farm: String?, launcher: any ModuleLauncher, path: String, templates: String? = nil,
        scenario named: String? = nil
    ) -> ContractCheck.Hook? {
        guard let farm else { return nil }
        return { manifest, folder in
            guard let s = named ?? scenario(folder: folder, farm: farm) else { return nil }
            return await check(
                manifest: manifest, folder: folder, farm: farm, scenario: s, launcher: launcher, path: path,
                templates: templates)
        }
    }

    /// The scenario a module's openapi_build.json matches, if any.
    static func scenario(folder: String, farm: String) -> String? {
        // Not a farm-built module: no contract check.
        guard let text = try? FileSystem.readText(folder + "/openapi_build.json", limit: 1 << 20),
            let record = try? JSONValue(parsing: text), let spec = record["spec"]?.stringValue
        else { return nil }
        // Named by the build (`--farm`): that scenario, known or not (an unknown one fails the check).
        if let named = record["farm"]?.stringValue { return named }
        let base = record["base_url"]?.stringValue ?? ""
        let local = spec.hasPrefix("http://") || spec.hasPrefix("https://") ? nil : spec
        let specText = local.flatMap { try? FileSystem.readText($0, limit: OpenAPIDocument.maxBytes) }
        for s in FarmScenarios.scenarios(farm) {
            let port = FarmScenarios.describe(farm, s).port
            let origin = "http://127.0.0.1:\(port)"
            if spec.hasSuffix("/farm/\(s)/openapi.yaml") || spec == "farm/\(s)/openapi.yaml"
                || spec == origin + "/openapi.yaml" || base == origin || base.hasPrefix(origin + "/")
            {
                return s
            }
            // A scenario whose spec cannot be read does not match; the next one is tried.
            if let specText, specText == (try? FileSystem.readText(farm + "/\(s)/openapi.yaml", limit: 1 << 20)) {
                return s
            }
        }
        return nil
    }

    /// The operations openapi_build.json says were left out (`"create_note (POST /notes)"` → `create_note`).
    static func leftOutOperations(_ folder: String) -> Set<String> {
        // Not an OpenAPI build, or an unreadable record: nothing was left out on purpose.
        guard let text = try? FileSystem.readText(folder + "/openapi_build.json", limit: 1 << 20),
            let record = try? JSONValue(parsing: text)
        else { return [] }
        return Set(
            (record["left_out"]?.arrayValue ?? []).compactMap {
                $0.stringValue?.split(separator: " ").first.map(String.init)
            })
    }

    static func check(
        manifest: ModuleManifest, folder: String, farm: String, scenario s: String, launcher: any ModuleLauncher,
        path: String, templates: String? = nil
    ) async -> GateCheck? {
        // The name may come from the module's own openapi_build.json: only a scenario of the farm folder is
        // ever a path (a farm server runs outside the sandbox).
        let known = FarmScenarios.scenarios(farm)
        guard known.contains(s),
            let acceptance = try? JSONValue(parsing: FileSystem.readText(farm + "/\(s)/acceptance.json"))
        else {
            let shown = s.count <= 64 && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? s : "(invalid name)"
            return .fail(
                "contract", .contract, "no farm scenario \(shown) (known: \(known.joined(separator: ", ")))",
                seconds: 0)
        }
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
        // Without the sandbox (NEXUS_SANDBOX=off) nothing else puts the runtime helper on the path.
        if let templates { env["PYTHONPATH"] = templates }
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
            return .fail(
                "contract", .contract, "farm \(s): the module did not start: \(error.userFacingDescription)",
                seconds: seconds())
        }
        let client = MCPClient(
            module: manifest.name, process: process, log: ModuleLog(path: scratch + "/module.log"),
            limits: MCPLimits(handshakeTimeout: 15, requestTimeout: 30))
        defer { client.close(graceMs: 200) }
        var failures: [String] = []
        // A tool the build left out on purpose (`--operations`, the cap) is not held against the module.
        let leftOut = leftOutOperations(folder)
        let all = acceptance["checks"]?.arrayValue ?? []
        let checks = all.filter { !leftOut.contains($0["tool"]?.stringValue ?? "") }
        var skipped: [String] = []
        for tool in all.compactMap({ $0["tool"]?.stringValue })
        where leftOut.contains(tool) && !skipped.contains(tool) {
            skipped.append(tool)
        }
        let skippedNote =
            skipped.isEmpty ? "" : " (not checked, left out of the build: \(skipped.joined(separator: ", ")))"
        do {
            try await client.initialize()
            for (i, c) in checks.enumerated() {
                let tool = c["tool"]?.stringValue ?? ""
                var text: String
                do {
                    let r = try await client.callTool(name: tool, arguments: c["arguments"] ?? .object(JSONObject()))
                    text = (r.isError ? "ERROR: " : "") + r.text
                } catch {
                    text = "ERROR: \(error.userFacingDescription)"
                }
                if let problem = AcceptanceCheck.problem(result: text, expect: c["expect"] ?? .null, status: 0) {
                    failures.append("#\(i + 1) \(tool): \(problem)")
                }
            }
        } catch {
            return .fail(
                "contract", .contract, "farm \(s): MCP handshake failed: \(error.userFacingDescription)",
                seconds: seconds())
        }
        if failures.isEmpty {
            return .pass(
                "contract", "farm \(s): \(checks.count)/\(checks.count) acceptance checks passed\(skippedNote)",
                seconds: seconds())
        }
        // Our server did not start: unless one of this scenario already listened, the farm failed, not the module.
        let farmNote =
            server == nil
            ? "\nthe farm's own server did not start (\(FarmServer.startProblem(log: scratch + "/requests.jsonl"))): "
                + "these failures may be the farm's, not the module's" : ""
        return .fail(
            "contract", .contract,
            "farm \(s): \(checks.count - failures.count)/\(checks.count) acceptance checks passed\(skippedNote)\n"
                + failures.joined(separator: "\n") + farmNote, seconds: seconds())
    }
}
