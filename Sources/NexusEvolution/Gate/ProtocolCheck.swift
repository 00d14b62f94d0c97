import NexusCore
import NexusModules
import NexusPOSIX

/// Check d: the module runs as an MCP server in the sandbox. `initialize`, then `tools/list`: at least one
/// tool, MCP names (1–128 of `[A-Za-z0-9_.-]`), non-empty descriptions, every `inputSchema` a JSON Schema
/// object; a `tools/call` with invalid arguments must answer `isError` and leave the server running; and
/// stdout carries nothing but protocol lines.
enum ProtocolCheck {
    struct Result: Sendable {
        var check: GateCheck
        var tools: [String]
    }

    /// A value every declared credential gets here, so a module that reads its key at start still starts.
    static let placeholderCredential = "nexus-gate-placeholder-credential"

    static func run(sandbox: GateSandbox, workspace: String, scratch: GateScratch, manifest: ModuleManifest) async
        -> Result
    {
        let start = MonotonicClock.nanoseconds()
        var env: [String: String] = [:]
        for c in manifest.credentials { env[c.env] = placeholderCredential }
        let process: LaunchedProcess
        do {
            process = try sandbox.launch(
                workspace: workspace, command: manifest.runtime.command, extraEnvironment: env, timeout: 60)
        } catch {
            return fail("the module cannot be started in the sandbox: \(error)", start)
        }
        let log = ModuleLog(path: scratch.output + "/protocol.log")
        let client = MCPClient(
            module: manifest.name, process: process, log: log,
            limits: MCPLimits(handshakeTimeout: 15, requestTimeout: 10, maxToolPages: 10))
        defer { client.close(graceMs: 200) }
        var notes: [String] = []
        do {
            try await client.initialize()
            let raw = try await listRaw(client)
            let problems = toolProblems(raw)
            let names = raw.compactMap { $0["name"]?.stringValue }
            guard problems.isEmpty else {
                return Result(
                    check: .fail("protocol", .protocol, problems.joined(separator: "\n"), seconds: elapsed(start)),
                    tools: names)
            }
            if let probe = invalidCall(for: raw) {
                let answer: JSONValue
                do {
                    answer = try await client.request(
                        "tools/call", params: ["name": .string(probe.tool), "arguments": probe.arguments], timeout: 10)
                } catch let e as MCPError {
                    if case .rpcError(_, _, let code, _) = e, code == -32602 {
                        notes.append("invalid arguments to \(probe.tool) answered with JSON-RPC -32602")
                        answer = ["isError": true]
                    } else {
                        return Result(
                            check: .fail(
                                "protocol", .protocol,
                                "tools/call \(probe.tool) with invalid arguments (\(probe.why)) did not answer "
                                    + "isError: "
                                    + "\(e.userMessage)\(tail(log))", seconds: elapsed(start)), tools: names)
                    }
                }
                guard answer["isError"]?.boolValue == true else {
                    return Result(
                        check: .fail(
                            "protocol", .protocol,
                            "tools/call \(probe.tool) with invalid arguments (\(probe.why)) answered without isError: "
                                + String(answer.serialized.prefix(300)), seconds: elapsed(start)), tools: names)
                }
                try await client.ping(timeout: 5)
                notes.append("tools/call \(probe.tool) with \(probe.why) answered isError and the server kept running")
            } else {
                notes.append("no tool takes arguments, so no invalid call was tried")
            }
            if client.skippedLines > 0 {
                return Result(
                    check: .fail(
                        "protocol", .protocol,
                        "stdout carried \(client.skippedLines) line(s) that are not JSON-RPC: stdout is for protocol "
                            + "lines only (log to stderr)", seconds: elapsed(start)), tools: names)
            }
            let summary = "\(names.count) tool(s): \(names.joined(separator: ", "))"
            return Result(
                check: .pass("protocol", ([summary] + notes).joined(separator: "\n"), seconds: elapsed(start)),
                tools: names)
        } catch let e as MCPError {
            let cat: FailureCategory = if case .timeout = e { .timeout } else { .protocol }
            return Result(check: .fail("protocol", cat, e.userMessage + tail(log), seconds: elapsed(start)), tools: [])
        } catch {
            return fail("\(error)", start)
        }
    }

    static func fail(_ why: String, _ start: UInt64) -> Result {
        Result(check: .fail("protocol", .protocol, why, seconds: elapsed(start)), tools: [])
    }

    static func elapsed(_ start: UInt64) -> Double { ModuleGate.seconds(since: start) }

    static func tail(_ log: ModuleLog) -> String {
        let t = log.stderrTail
        return t.isEmpty ? "" : "\nstderr: " + String(t.suffix(1500))
    }

    /// Every tool object, following `nextCursor`, as the server sent it.
    static func listRaw(_ client: MCPClient) async throws -> [JSONValue] {
        var tools: [JSONValue] = []
        var cursor: String?
        for _ in 0..<10 {
            let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
            let result = try await client.request("tools/list", params: params, timeout: 10)
            tools += result["tools"]?.arrayValue ?? []
            guard let next = result["nextCursor"]?.stringValue, !next.isEmpty, next != cursor else { break }
            cursor = next
        }
        return tools
    }

    /// What is wrong with the listed tools, one line each.
    static func toolProblems(_ tools: [JSONValue]) -> [String] {
        guard !tools.isEmpty else { return ["tools/list returned no tools: a module must offer at least one"] }
        var out: [String] = []
        var seen: Set<String> = []
        for (i, t) in tools.enumerated() {
            guard let name = t["name"]?.stringValue else {
                out.append("tools[\(i)]: no name")
                continue
            }
            let label = "tool \(JSONValue.string(name).serialized)"
            if let p = nameProblem(name) { out.append("\(label): \(p)") }
            if !seen.insert(name).inserted { out.append("\(label): listed twice") }
            let description = t["description"]?.stringValue ?? ""
            if description.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) {
                out.append("\(label): empty description (the model chooses tools by it)")
            }
            guard let schema = t["inputSchema"] else {
                out.append("\(label): no inputSchema")
                continue
            }
            out += JSONSchemaCheck.problems(schema, against: ToolSchemaRules.metaSchema, path: "inputSchema")
                .map { "\(label): \($0)" }
            out += ToolSchemaRules.requiredProblems(schema).map { "\(label): \($0)" }
        }
        return out
    }

    /// MCP tool names: 1–128 characters of A-Z a-z 0-9 _ . -
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty || name.utf8.count > 128 { return "name must be 1-128 characters" }
        let ok = name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E
                || c == 0x2D
        }
        return ok ? nil : "name may only use A-Z a-z 0-9 _ . -"
    }

    /// A call that breaks the first tool's schema on purpose: a required argument left out, or one of the
    /// wrong type, or an argument the tool does not take.
    static func invalidCall(for tools: [JSONValue]) -> (tool: String, arguments: JSONValue, why: String)? {
        for t in tools {
            guard let name = t["name"]?.stringValue, let schema = t["inputSchema"],
                let props = schema["properties"]?.objectValue, !props.isEmpty
            else { continue }
            if let req = schema["required"]?.arrayValue?.first?.stringValue {
                return (name, [:], "required argument '\(req)' missing")
            }
            for key in props.keys {
                let type = props[key]?["type"]?.stringValue
                let wrong: JSONValue? =
                    switch type {
                    case "string": .number(12345)
                    case "integer", "number": .string("not-a-number")
                    case "boolean": .string("not-a-boolean")
                    case "array", "object": .number(7)
                    default: nil
                    }
                if let wrong { return (name, .object(JSONObject([(key, wrong)])), "'\(key)' of the wrong type") }
            }
        }
        return nil
    }
}
