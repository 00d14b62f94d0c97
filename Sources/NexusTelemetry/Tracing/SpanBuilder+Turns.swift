import NexusCore

/// Opening and closing turns, model calls, tool calls and span events.
extension SpanBuilder {
    /// Opens turn `t`'s root span unless it is open (events of a turn whose start was missed open it too).
    /// Turn 0 (outside any turn) is never opened. Returns spans dropped to stay under `maxOpenTurns`.
    mutating func open(turn t: Int, at now: UInt64) -> (opened: Bool, finished: [Span]) {
        guard t != 0, turns[t] == nil else { return (false, []) }
        var done: [Span] = []
        while order.count >= Self.maxOpenTurns, let oldest = order.first {
            done += close(turn: oldest, at: now, outcome: "abandoned")
        }
        var root = Span(
            traceID: identity.traceID(turn: t), spanID: newSpanID(), parentSpanID: 0, name: "invoke_agent nexus",
            startUnixNs: now)
        root.set("gen_ai.operation.name", .string("invoke_agent"))
        root.set("gen_ai.agent.name", .string("nexus"))
        root.set("nexus.turn", .int(t))
        turns[t] = Turn(root: root)
        order.append(t)
        return (true, done)
    }

    /// Ends turn `t`: every span still open ends now, the root last, marked with `outcome`.
    mutating func close(turn t: Int, at now: UInt64, outcome: String) -> [Span] {
        guard var turn = turns.removeValue(forKey: t) else { return [] }
        order.removeAll { $0 == t }
        var done: [Span] = []
        for id in turn.toolOrder {
            guard var tool = turn.tools[id] else { continue }
            if var mcp = tool.mcp {
                mcp.endUnixNs = now
                done.append(mcp)
            }
            tool.execute.endUnixNs = now
            done.append(tool.execute)
        }
        for (_, var node) in turn.nodes.reversed() {
            node.endUnixNs = now
            done.append(node)
        }
        turn.root.endUnixNs = now
        turn.root.set("nexus.turn.outcome", .string(text(outcome)))
        if outcome == "error" || outcome == "abandoned", turn.root.status == .unset {
            turn.root.status = .error(outcome)
        }
        done.append(turn.root)
        return done
    }

    mutating func update(turn t: Int, _ change: (inout Turn) -> Void) {
        guard var turn = turns[t] else { return }
        change(&turn)
        turns[t] = turn
    }

    /// The span new children and events of a turn belong to: its latest open node, else its root.
    func innermost(_ turn: Turn) -> Span { turn.nodes.last?.1 ?? turn.root }

    /// Adds `e` to the innermost open span of turn `t`. Outside a turn (`t` 0: module lifecycle, the
    /// vault) it goes to the newest open turn, and with none open it becomes a span of its own.
    mutating func addEvent(turn t: Int, _ e: SpanEvent) -> [Span] {
        let target = t != 0 ? t : order.last
        guard let target, var turn = turns[target] else {
            guard t == 0 else { return [] }
            let trace = TraceID(high: rng.next(), low: rng.next())
            return [
                Span(
                    traceID: trace, spanID: newSpanID(), parentSpanID: 0, name: e.name, startUnixNs: e.timeUnixNs,
                    endUnixNs: e.timeUnixNs, events: [e])
            ]
        }
        if let last = turn.toolOrder.last, var tool = turn.tools[last] {
            if tool.execute.events.count < Self.maxEvents { tool.execute.events.append(e) }
            turn.tools[last] = tool
        } else if let i = turn.nodes.indices.last {
            if turn.nodes[i].1.events.count < Self.maxEvents { turn.nodes[i].1.events.append(e) }
        } else if turn.root.events.count < Self.maxEvents {
            turn.root.events.append(e)
        }
        turns[target] = turn
        return []
    }

    /// A finished model call: `chat {model}` with the GenAI attributes and the seed's tags.
    mutating func chatSpan(_ r: LLMCallRecord, turn t: Int, event: Event) -> [Span] {
        var done = open(turn: t, at: unix(event.timestampNs)).finished
        let trace: TraceID
        let parent: UInt64
        if let turn = turns[t] {
            trace = turn.root.traceID
            parent = innermost(turn).spanID
        } else {
            trace = TraceID(high: rng.next(), low: rng.next())
            parent = 0
        }
        var span = Span(
            traceID: trace, spanID: newSpanID(), parentSpanID: parent, name: "chat \(text(r.model))",
            kind: .client, startUnixNs: unix(event.timestampNs, minusMs: r.latencyMs),
            endUnixNs: unix(event.timestampNs))
        span.attributes = [
            SpanAttribute("gen_ai.operation.name", .string("chat")),
            SpanAttribute("gen_ai.provider.name", .string(text(providerNames[r.provider] ?? r.provider))),
            SpanAttribute("nexus.provider", .string(text(r.provider))),
            SpanAttribute("gen_ai.request.model", .string(text(r.model))),
            SpanAttribute("gen_ai.usage.input_tokens", .int(r.tokensIn)),
            SpanAttribute("gen_ai.usage.output_tokens", .int(r.tokensOut)),
            SpanAttribute("nexus.service", .string(text(r.service))),
            SpanAttribute("nexus.task_type", .string(text(r.taskType))),
            SpanAttribute("nexus.module_context", .string(text(r.moduleContext ?? ""))),
            SpanAttribute("nexus.tier", .string(text(r.tier))),
            SpanAttribute("nexus.cost_usd", .double(r.costUSD)),
            SpanAttribute("nexus.outcome", .string(text(r.outcome))),
            SpanAttribute("nexus.local", .bool(r.isLocal)),
            SpanAttribute("nexus.tokens_estimated", .bool(r.tokensEstimated)),
        ]
        if let ttft = r.timeToFirstTokenMs { span.set("nexus.ttft_ms", .double(ttft)) }
        if r.outcome != "ok" {
            span.set("error.type", .string(text(r.outcome)))
            span.status = .error(text(r.outcome))
        }
        done.append(span)
        return done
    }

    /// A tool call starts: `execute_tool {name}`, and for a module's tool the MCP client span under it.
    mutating func startTool(_ call: ToolCall, module: String?, turn t: Int, at now: UInt64) -> [Span] {
        let done = open(turn: t, at: now).finished
        guard var turn = turns[t], turn.tools[call.id] == nil, turn.tools.count < 256 else { return done }
        let name = text(call.name)
        var execute = Span(
            traceID: turn.root.traceID, spanID: newSpanID(), parentSpanID: innermost(turn).spanID,
            name: "execute_tool \(name)", startUnixNs: now)
        execute.set("gen_ai.operation.name", .string("execute_tool"))
        execute.set("gen_ai.tool.name", .string(name))
        execute.set("gen_ai.tool.call.id", .string(text(call.id)))
        var mcp: Span?
        if let module {
            let m = text(module)
            execute.set("nexus.module", .string(m))
            let tool = call.name.firstRange(of: "__").map { String(call.name[$0.upperBound...]) } ?? call.name
            var s = Span(
                traceID: turn.root.traceID, spanID: identity.toolCallSpanID(turn: t, callID: call.id),
                parentSpanID: execute.spanID, name: "tools/call \(text(tool))", kind: .client, startUnixNs: now)
            s.attributes = [
                SpanAttribute("mcp.method.name", .string("tools/call")),
                SpanAttribute("gen_ai.operation.name", .string("execute_tool")),
                SpanAttribute("gen_ai.tool.name", .string(text(tool))),
                SpanAttribute("network.transport", .string("pipe")),
                SpanAttribute("nexus.module", .string(m)),
            ]
            mcp = s
        }
        turn.tools[call.id] = ToolSpans(execute: execute, mcp: mcp)
        turn.toolOrder.append(call.id)
        turns[t] = turn
        return done
    }

    /// A tool call ends: its spans end, marked as errors when the result is one (`error.type` tool_error).
    mutating func finishTool(_ result: ToolResult, turn t: Int, at now: UInt64) -> [Span] {
        guard var turn = turns[t], var tool = turn.tools.removeValue(forKey: result.callID) else { return [] }
        turn.toolOrder.removeAll { $0 == result.callID }
        turns[t] = turn
        var done: [Span] = []
        if var mcp = tool.mcp {
            mcp.endUnixNs = now
            if result.isError {
                mcp.set("error.type", .string("tool_error"))
                mcp.status = .error("tool_error")
            }
            done.append(mcp)
        }
        tool.execute.endUnixNs = now
        if result.isError {
            tool.execute.set("error.type", .string("tool_error"))
            tool.execute.status = .error("tool_error")
        }
        done.append(tool.execute)
        return done
    }

    /// The span event an event becomes, or nil for events that add nothing to a trace.
    func spanEvent(_ kind: EventKind, at now: UInt64) -> SpanEvent? {
        func e(_ name: String, _ attrs: [(String, SpanAttribute.Value)]) -> SpanEvent {
            SpanEvent(timeUnixNs: now, name: name, attributes: attrs.map { SpanAttribute($0.0, $0.1) })
        }
        switch kind {
        case .moduleState(let module, let state):
            return e(
                "module.state",
                [("nexus.module", .string(text(module))), ("nexus.module.state", .string(text(state)))])
        case .moduleHealth(let module, let health, let reason):
            return e(
                "module.health",
                [
                    ("nexus.module", .string(text(module))), ("nexus.module.health", .string(health.rawValue)),
                    ("nexus.reason", .string(text(reason ?? ""))),
                ])
        case .audit(let actor, let action, let target):
            return e(
                "audit",
                [
                    ("nexus.audit.actor", .string(text(actor))), ("nexus.audit.action", .string(text(action))),
                    ("nexus.audit.target", .string(text(target))),
                ])
        case .approvalRequired(let request):
            return e(
                "approval_required",
                [
                    ("nexus.approval.id", .string(text(request.id))),
                    ("nexus.approval.kind", .string(request.kind.rawValue)),
                ])
        case .approval(let id, let decision):
            return e(
                "approval",
                [("nexus.approval.id", .string(text(id))), ("nexus.approval.decision", .string(decision.rawValue))])
        case .retry(let provider, let attempt, let delay, let reason):
            return e(
                "retry",
                [
                    ("gen_ai.provider.name", .string(text(providerNames[provider] ?? provider))),
                    ("nexus.attempt", .int(attempt)),
                    ("nexus.delay_seconds", .double(delay)), ("nexus.reason", .string(text(reason))),
                ])
        case .fallback(let from, let to, let reason):
            return e(
                "fallback",
                [
                    ("nexus.from", .string(text(from))), ("nexus.to", .string(text(to))),
                    ("nexus.reason", .string(text(reason))),
                ])
        case .modelSelected(let model, _):
            return e("model_selected", [("gen_ai.request.model", .string(text(model)))])
        case .buildFinished(let module, let outcome, let latencyMs):
            return e(
                "build.finished",
                [
                    ("nexus.module", .string(text(module))), ("nexus.build.outcome", .string(text(outcome))),
                    ("nexus.latency_ms", .double(latencyMs)),
                ])
        case .budget(let scope, let spent, let cap, let action):
            return e(
                "budget",
                [
                    ("nexus.budget.scope", .string(text(scope))), ("nexus.budget.spent_usd", .double(spent)),
                    ("nexus.budget.cap_usd", .double(cap)), ("nexus.budget.action", .string(text(action))),
                ])
        default:
            return nil
        }
    }
}
