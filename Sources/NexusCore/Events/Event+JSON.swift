extension Event {
    /// The `--json` line for this event: `"type"` first, then the turn and the monotonic time in
    /// milliseconds (`t_ms`, CLOCK_MONOTONIC: for ordering and intervals, not a date), then the payload
    /// (DESIGN §4.1, §4.4).
    public var json: JSONValue {
        var o = JSONObject()
        o["type"] = .string(kind.typeName)
        o["turn"] = .number(Double(turnID))
        o["t_ms"] = .number((Double(timestampNs / 1000) / 1000))
        for (k, v) in kind.payload { o[k] = v }
        return .object(o)
    }
}

extension EventKind {
    /// The stable `type` name of this event in JSON output.
    public var typeName: String {
        switch self {
        case .turnStarted: "turn_started"
        case .nodeEntered: "node_entered"
        case .nodeLeft: "node_left"
        case .route: "route"
        case .modelSelected: "model_selected"
        case .token: "token"
        case .toolCall: "tool_call"
        case .toolResult: "tool_result"
        case .approvalRequired: "approval_required"
        case .approval: "approval"
        case .llmCall: "usage"
        case .retry: "retry"
        case .fallback: "fallback"
        case .final: "final"
        case .error: "error"
        case .notice: "notice"
        case .moduleHealth: "module_health"
        case .moduleState: "module_state"
        case .audit: "audit"
        case .turnFinished: "turn_finished"
        case .commandOutput: "command"
        case .moduleResources: "module_resources"
        case .sandboxRun: "sandbox_run"
        case .egress: "egress"
        case .buildFinished: "build_finished"
        case .budget: "budget"
        case .routeChanged: "route_changed"
        }
    }

    var payload: [(String, JSONValue)] {
        switch self {
        case .turnStarted(let input): return [("input", .string(input))]
        case .nodeEntered(let n): return [("node", .string(n.rawValue))]
        case .nodeLeft(let n, let ms, let detail):
            var p: [(String, JSONValue)] = [("node", .string(n.rawValue)), ("latency_ms", .number(ms))]
            if let detail { p.append(("detail", .string(detail))) }
            return p
        case .route(let t, let tier, let reason):
            return [("task_type", .string(t)), ("tier", .string(tier)), ("reason", .string(reason))]
        case .modelSelected(let m, let chain):
            return [("model", .string(m)), ("chain", .array(chain.map { .string($0) }))]
        case .token(let s): return [("text", .string(s))]
        case .toolCall(let c, let module):
            var p: [(String, JSONValue)] = [
                ("id", .string(c.id)), ("name", .string(c.name)), ("arguments", c.arguments),
            ]
            if let module { p.append(("module", .string(module))) }
            return p
        case .toolResult(let r, let ms):
            return [
                ("id", .string(r.callID)), ("name", .string(r.name)), ("content", .string(r.content)),
                ("is_error", .bool(r.isError)), ("latency_ms", .number(ms)),
            ]
        case .approvalRequired(let r):
            // Details are whole here (never shortened); `choices` are the answers a script may give.
            var p: [(String, JSONValue)] = [
                ("id", .string(r.id)), ("kind", .string(r.kind.rawValue)), ("title", .string(r.title)),
                ("details", .object(JSONObject(r.details.map { ($0.label, .string($0.value)) }))),
            ]
            if let tool = r.tool { p.append(("tool", .string(tool))) }
            let choices: [ApprovalDecision] = r.tool == nil ? [.yes, .no, .always] : [.yes, .no, .always, .alwaysTool]
            p.append(("choices", .array(choices.map { .string($0.rawValue) })))
            if let proof = r.proof { p.append(("proof", proof)) }
            return p
        case .approval(let id, let d): return [("id", .string(id)), ("decision", .string(d.rawValue))]
        case .llmCall(let r):
            return [
                ("service", .string(r.service)), ("task_type", .string(r.taskType)), ("provider", .string(r.provider)),
                ("model", .string(r.model)), ("module_context", r.moduleContext.map { .string($0) } ?? .null),
                ("tier", .string(r.tier)), ("tokens_in", .number(Double(r.tokensIn))),
                ("tokens_out", .number(Double(r.tokensOut))), ("latency_ms", .number(r.latencyMs)),
                ("cost_usd", .number(r.costUSD)), ("outcome", .string(r.outcome)), ("local", .bool(r.isLocal)),
                ("tokens_estimated", .bool(r.tokensEstimated)),
                ("ttft_ms", r.timeToFirstTokenMs.map { .number($0) } ?? .null),
            ]
        case .retry(let p, let a, let d, let reason):
            return [
                ("provider", .string(p)), ("attempt", .number(Double(a))), ("delay_s", .number(d)),
                ("reason", .string(reason)),
            ]
        case .fallback(let from, let to, let reason):
            return [("from", .string(from)), ("to", .string(to)), ("reason", .string(reason))]
        case .final(let text): return [("text", .string(text))]
        case .error(let m, let hint): return [("message", .string(m)), ("hint", hint.map { .string($0) } ?? .null)]
        case .notice(let m): return [("message", .string(m))]
        case .moduleHealth(let m, let h, let reason):
            return [
                ("module", .string(m)), ("health", .string(h.rawValue)),
                ("reason", reason.map { .string($0) } ?? .null),
            ]
        case .moduleState(let m, let s): return [("module", .string(m)), ("state", .string(s))]
        case .audit(let actor, let action, let target):
            return [("actor", .string(actor)), ("action", .string(action)), ("target", .string(target))]
        case .turnFinished(let outcome, let ms): return [("outcome", .string(outcome)), ("latency_ms", .number(ms))]
        case .commandOutput(let c, let text): return [("command", .string(c)), ("text", .string(text))]
        case .moduleResources(let m, let rss, let cpu):
            return [("module", .string(m)), ("resident_bytes", .number(Double(rss))), ("cpu_seconds", .number(cpu))]
        case .sandboxRun(let mode, let outcome, let ms):
            return [("mode", .string(mode)), ("outcome", .string(outcome)), ("latency_ms", .number(ms))]
        case .egress(let m, let host, let verdict):
            return [("module", .string(m)), ("host", .string(host)), ("verdict", .string(verdict))]
        case .buildFinished(let m, let outcome, let ms):
            return [("module", .string(m)), ("outcome", .string(outcome)), ("latency_ms", .number(ms))]
        case .budget(let scope, let spent, let cap, let action):
            return [
                ("scope", .string(scope)), ("spent_usd", .number(spent)), ("cap_usd", .number(cap)),
                ("action", .string(action)),
            ]
        case .routeChanged(let t, let chain, let by):
            return [("task_type", .string(t)), ("chain", .array(chain.map { .string($0) })), ("by", .string(by))]
        }
    }
}
