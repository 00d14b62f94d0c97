import NexusCore

/// What the fake MCP server offers and how each tool answers, read from JSON so the same script drives
/// the out-of-process `nexus-fake-mcp` and the in-process server:
///
/// ```json
/// {"server_name": "fake-mcp", "page_size": 2, "tools": [
///   {"name": "echo", "answer": {"echo": "text"}},
///   {"name": "weather", "description": "Forecast", "answer": {"text": "rain"}, "delay_ms": 50},
///   {"name": "broken", "answer": {"tool_error": "it failed"}},
///   {"name": "strict", "answer": {"rpc_error": -32602, "message": "bad arguments"}},
///   {"name": "whoami", "answer": {"env": "WEATHER_KEY"}},
///   {"name": "boom", "answer": {"crash": 3}},
///   {"name": "stuck", "answer": {"hang": true}},
///   {"name": "refresh", "answer": {"text": "ok"}, "then_reveal": ["later"]},
///   {"name": "later", "hidden": true, "answer": {"text": "now listed"}}]}
/// ```
///
/// Answers: `text` (fixed), `echo` (the named argument back), `tool_error` (an `isError` result),
/// `rpc_error` (a JSON-RPC error), `env` (an environment variable of the server, `<unset>` when absent),
/// `crash` (exit at once with that status, saying so on stderr), `hang` (never answer). `delay_ms` answers
/// later without holding other requests back; `then_reveal` lists hidden tools and sends
/// `notifications/tools/list_changed`.
public struct FakeMCPScript: Sendable, Equatable {
    public var serverName: String
    /// Tools per `tools/list` page (0: one page).
    public var pageSize: Int
    public var tools: [FakeMCPTool]

    public init(serverName: String = "fake-mcp", pageSize: Int = 0, tools: [FakeMCPTool]) {
        self.serverName = serverName
        self.pageSize = max(0, pageSize)
        self.tools = tools
    }

    /// Parses a script; errors name the tool index and the key.
    public init(json text: String) throws {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch { throw NexusError("fake MCP script: \(error)") }
        guard case .object = root else { throw NexusError("fake MCP script: the top level must be an object") }
        serverName = root["server_name"]?.stringValue ?? "fake-mcp"
        pageSize = max(0, root["page_size"]?.intValue ?? 0)
        tools = []
        for (i, t) in (root["tools"]?.arrayValue ?? []).enumerated() {
            tools.append(try FakeMCPTool(json: t, index: i))
        }
    }

    /// The script as JSON (what `init(json:)` reads back).
    public var json: JSONValue {
        var o = JSONObject([("server_name", .string(serverName)), ("page_size", .number(Double(pageSize)))])
        o["tools"] = .array(tools.map(\.json))
        return .object(o)
    }
}

/// One tool of a fake MCP server: how it is listed and how it answers.
public struct FakeMCPTool: Sendable, Equatable {
    public enum Answer: Sendable, Equatable {
        case text(String)
        case echo(argument: String)
        case toolError(String)
        case rpcError(code: Int, message: String)
        case environment(String)
        case crash(status: Int32)
        case hang
    }

    public var name: String
    public var description: String
    public var inputSchema: JSONValue
    public var answer: Answer
    public var delayMs: Int
    /// Not in `tools/list` until a `thenReveal` of another tool names it.
    public var hidden: Bool
    public var thenReveal: [String]

    public init(
        name: String, description: String = "a fake MCP tool", inputSchema: JSONValue = ["type": "object"],
        answer: Answer, delayMs: Int = 0, hidden: Bool = false, thenReveal: [String] = []
    ) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.answer = answer
        self.delayMs = max(0, delayMs)
        self.hidden = hidden
        self.thenReveal = thenReveal
    }

    init(json t: JSONValue, index: Int) throws {
        func fail(_ what: String) -> NexusError { NexusError("fake MCP script: tools[\(index)] \(what)") }
        guard let name = t["name"]?.stringValue else { throw fail("needs a \"name\"") }
        guard let a = t["answer"] else { throw fail("needs an \"answer\"") }
        let answer: Answer
        if let s = a["text"]?.stringValue {
            answer = .text(s)
        } else if let s = a["echo"]?.stringValue {
            answer = .echo(argument: s)
        } else if let s = a["tool_error"]?.stringValue {
            answer = .toolError(s)
        } else if let code = a["rpc_error"]?.intValue {
            answer = .rpcError(code: code, message: a["message"]?.stringValue ?? "fake error")
        } else if let s = a["env"]?.stringValue {
            answer = .environment(s)
        } else if let status = a["crash"]?.intValue {
            answer = .crash(status: Int32(truncatingIfNeeded: status))
        } else if a["hang"]?.boolValue == true {
            answer = .hang
        } else {
            throw fail("answer needs one of text, echo, tool_error, rpc_error, env, crash, hang")
        }
        self.init(
            name: name, description: t["description"]?.stringValue ?? "a fake MCP tool",
            inputSchema: t["input_schema"] ?? ["type": "object"], answer: answer,
            delayMs: t["delay_ms"]?.intValue ?? 0, hidden: t["hidden"]?.boolValue ?? false,
            thenReveal: t["then_reveal"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    var json: JSONValue {
        let a: JSONValue
        switch answer {
        case .text(let s): a = ["text": .string(s)]
        case .echo(let s): a = ["echo": .string(s)]
        case .toolError(let s): a = ["tool_error": .string(s)]
        case .rpcError(let code, let message): a = ["rpc_error": .number(Double(code)), "message": .string(message)]
        case .environment(let s): a = ["env": .string(s)]
        case .crash(let status): a = ["crash": .number(Double(status))]
        case .hang: a = ["hang": true]
        }
        return [
            "name": .string(name), "description": .string(description), "input_schema": inputSchema, "answer": a,
            "delay_ms": .number(Double(delayMs)), "hidden": .bool(hidden),
            "then_reveal": .array(thenReveal.map { .string($0) }),
        ]
    }
}
