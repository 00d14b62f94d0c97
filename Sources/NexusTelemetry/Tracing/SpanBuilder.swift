import NexusCore

/// Turns the kernel's events into OpenTelemetry spans, one event at a time (DESIGN §4.9).
///
/// It exists so tracing needs nothing from the turn loop but the events it already publishes: a turn is
/// one trace whose root (`invoke_agent nexus`) holds a span per pipeline node or build stage; each model
/// call is a `chat {model}` span and each tool call an `execute_tool {name}` span inside the node that
/// made it, a module's tool adding the MCP client span `tools/call {tool}` whose id is the `traceparent`
/// the module got (`TraceIdentity`). Module lifecycle, vault access, approvals, retries and budget
/// decisions become span events. Everything it reads may come from a model or a module, so names and
/// texts are cut to a bounded length and the number of open turns, events and tools is capped.
public struct SpanBuilder {
    /// Longest attribute or name text kept, in characters.
    public static let maxText = 256
    /// Open turns kept at once (a turn whose end never came is dropped with the oldest).
    public static let maxOpenTurns = 32
    /// Events kept per span.
    public static let maxEvents = 128

    struct ToolSpans {
        var execute: Span
        var mcp: Span?
    }

    struct Turn {
        var root: Span
        var nodes: [(PipelineNode, Span)] = []
        var tools: [String: ToolSpans] = [:]
        var toolOrder: [String] = []
    }

    let identity: TraceIdentity
    let redact: @Sendable (String) -> String
    /// Configured provider name → `gen_ai.provider.name` (`GenAIProviderName`); a name not here is used as is.
    let providerNames: [String: String]
    /// Unix time minus monotonic time, in nanoseconds: event timestamps are monotonic.
    let offsetNs: Int64
    var turns: [Int: Turn] = [:]
    var order: [Int] = []
    /// Span ids: a counter through splitmix64 from a random start (no system call per span).
    var rng: SpanIDGenerator

    public init(
        identity: TraceIdentity, offsetNs: Int64 = SpanBuilder.clockOffset(),
        redact: @escaping @Sendable (String) -> String = { $0 }, providerNames: [String: String] = [:]
    ) {
        self.identity = identity
        self.redact = redact
        self.providerNames = providerNames
        self.offsetNs = offsetNs
        var system = SystemRandomNumberGenerator()
        self.rng = SpanIDGenerator(state: system.next())
    }

    /// Unix time minus monotonic time now, in nanoseconds.
    public static func clockOffset() -> Int64 {
        let wall = Int64(WallClock.now() * 1e9)
        return wall &- Int64(bitPattern: MonotonicClock.nanoseconds())
    }

    func unix(_ monotonicNs: UInt64) -> UInt64 {
        UInt64(bitPattern: max(0, Int64(bitPattern: monotonicNs) &+ offsetNs))
    }

    func unix(_ monotonicNs: UInt64, minusMs ms: Double) -> UInt64 {
        let back = UInt64(max(0, ms.isFinite ? ms : 0) * 1e6)
        let end = unix(monotonicNs)
        return end > back ? end - back : 0
    }

    mutating func newSpanID() -> UInt64 {
        while true {
            let v = rng.next() as UInt64
            if v != 0 { return v }
        }
    }

    static func cut(_ s: String) -> String {
        s.count <= maxText ? s : String(s.prefix(maxText)) + "…"
    }

    /// Text bound for a span: the session's secrets scrubbed (events are scrubbed already; this also covers
    /// what a module's error says about itself), then cut to `maxText`.
    func text(_ s: String) -> String { Self.cut(redact(s)) }

    /// Feeds one event; returns the spans it finished (often none).
    public mutating func consume(_ event: Event) -> [Span] {
        let t = event.turnID
        let now = unix(event.timestampNs)
        switch event.kind {
        case .token, .final, .commandOutput, .notice, .moduleResources, .egress:
            return []
        case .turnStarted:
            return open(turn: t, at: now).finished
        case .nodeEntered(let node):
            var done = open(turn: t, at: now).finished
            guard var turn = turns[t] else { return done }
            if let i = turn.nodes.firstIndex(where: { $0.0 == node }) {  // entered twice: close the first
                var old = turn.nodes.remove(at: i).1
                old.endUnixNs = now
                done.append(old)
            }
            var span = Span(
                traceID: turn.root.traceID, spanID: newSpanID(), parentSpanID: turn.root.spanID, name: node.rawValue,
                startUnixNs: now)
            span.set("nexus.pipeline.node", .string(node.rawValue))
            turn.nodes.append((node, span))
            turns[t] = turn
            return done
        case .nodeLeft(let node, let latencyMs, let detail):
            var done = open(turn: t, at: now).finished
            guard var turn = turns[t] else { return done }
            var span: Span
            if let i = turn.nodes.lastIndex(where: { $0.0 == node }) {
                span = turn.nodes.remove(at: i).1
            } else {
                span = Span(
                    traceID: turn.root.traceID, spanID: newSpanID(), parentSpanID: turn.root.spanID,
                    name: node.rawValue, startUnixNs: unix(event.timestampNs, minusMs: latencyMs))
                span.set("nexus.pipeline.node", .string(node.rawValue))
            }
            if let detail { span.set("nexus.pipeline.detail", .string(text(detail))) }
            span.endUnixNs = now
            turns[t] = turn
            done.append(span)
            return done
        case .route(let taskType, let tier, _):
            let (task, level) = (text(taskType), text(tier))
            update(turn: t) {
                $0.root.set("nexus.task_type", .string(task))
                $0.root.set("nexus.tier", .string(level))
            }
            return []
        case .llmCall(let record):
            return chatSpan(record, turn: t, event: event)
        case .toolCall(let call, let module):
            return startTool(call, module: module, turn: t, at: now)
        case .toolResult(let result, _):
            return finishTool(result, turn: t, at: now)
        case .sandboxRun(let mode, let outcome, let latencyMs):
            guard t != 0, let turn = turns[t] else { return [] }
            let parent = innermost(turn)
            var span = Span(
                traceID: turn.root.traceID, spanID: newSpanID(), parentSpanID: parent.spanID,
                name: "sandbox \(text(mode))", startUnixNs: unix(event.timestampNs, minusMs: latencyMs),
                endUnixNs: now)
            span.set("nexus.sandbox.mode", .string(text(mode)))
            span.set("nexus.sandbox.outcome", .string(text(outcome)))
            if outcome != "ok" { span.status = .error(text(outcome)) }
            return [span]
        case .error(let message, _):
            let shown = text(message)
            update(turn: t) { $0.root.status = .error(shown) }
            return addEvent(
                turn: t,
                SpanEvent(
                    timeUnixNs: now, name: "exception", attributes: [SpanAttribute("exception.message", .string(shown))]
                ))
        case .turnFinished(let outcome, _):
            return close(turn: t, at: now, outcome: outcome)
        default:
            guard let e = spanEvent(event.kind, at: now) else { return [] }
            return addEvent(turn: t, e)
        }
    }
}

/// Random-looking, never-zero 64-bit ids without a system call each: splitmix64 over a counter that starts
/// at a random value. Span ids need to be unique within a trace, not secret.
struct SpanIDGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 1
        return TraceIdentity.mix(state)
    }
}
