import NexusCore
import Testing

@testable import NexusTelemetry

/// How the kernel's events become a turn's trace (DESIGN §4.9): structure, names and attributes.
@Suite struct SpanBuilderTests {
    static let identity = TraceIdentity(seed0: 1, seed1: 2)

    /// A turn with a model call that asks for a module's tool, the tool's result, and a second call.
    static func turnEvents(turn: Int = 7) -> [Event] {
        var t: UInt64 = 1_000_000_000
        func at(_ kind: EventKind) -> Event {
            t += 1_000_000
            return Event(turnID: turn, kind: kind, timestampNs: t)
        }
        let record = LLMCallRecord(
            service: "orchestrator", taskType: "simple_query", provider: "anthropic", model: "claude-haiku-4-5",
            moduleContext: nil, tier: "standard", tokensIn: 120, tokensOut: 30, latencyMs: 0.5, costUSD: 0.00027,
            outcome: "ok", isLocal: false, timeToFirstTokenMs: 0.2)
        var second = record
        second.moduleContext = "time"
        return [
            at(.turnStarted(input: "what time is it")),
            at(.nodeEntered(.input)), at(.nodeLeft(.input, latencyMs: 0.1, detail: "15 chars")),
            at(.route(taskType: "simple_query", tier: "standard", reason: "short")),
            at(.nodeEntered(.executor)),
            at(.llmCall(record)),
            at(.toolCall(ToolCall(id: "call_1", name: "time__get_current_time", arguments: [:]), module: "time")),
            Event(turnID: 0, kind: .moduleState(module: "time", state: "started"), timestampNs: t + 10),
            at(
                .toolResult(
                    ToolResult(callID: "call_1", name: "time__get_current_time", content: "12:00"), latencyMs: 1)),
            at(.llmCall(second)),
            at(.nodeLeft(.executor, latencyMs: 5, detail: nil)),
            at(.turnFinished(outcome: "ok", latencyMs: 9)),
        ]
    }

    static func build(_ events: [Event]) -> [Span] {
        var b = SpanBuilder(identity: identity, offsetNs: 1_700_000_000_000_000_000)
        return events.flatMap { b.consume($0) }
    }

    @Test func aTurnIsOneTraceWithARootAndASpanPerNode() throws {
        let spans = Self.build(Self.turnEvents())
        let trace = Self.identity.traceID(turn: 7)
        #expect(spans.allSatisfy { $0.traceID == trace })
        let root = try #require(spans.first { $0.parentSpanID == 0 })
        #expect(root.name == "invoke_agent nexus")
        #expect(root.attribute("nexus.turn") == .int(7))
        #expect(root.attribute("nexus.task_type") == .string("simple_query"))
        #expect(root.attribute("nexus.turn.outcome") == .string("ok"))
        #expect(spans.filter { $0.parentSpanID == 0 }.count == 1)
        let input = try #require(spans.first { $0.name == "input" })
        let executor = try #require(spans.first { $0.name == "executor" })
        #expect(input.parentSpanID == root.spanID && executor.parentSpanID == root.spanID)
        #expect(input.attribute("nexus.pipeline.detail") == .string("15 chars"))
        #expect(spans.allSatisfy { $0.endUnixNs >= $0.startUnixNs && $0.startUnixNs > 1_700_000_000_000_000_000 })
    }

    @Test func modelCallsAreChatSpansWithTheGenAIAttributesAndTheSeedsTags() throws {
        let spans = Self.build(Self.turnEvents())
        let executor = try #require(spans.first { $0.name == "executor" })
        let chats = spans.filter { $0.name == "chat claude-haiku-4-5" }
        #expect(chats.count == 2)
        for chat in chats {
            #expect(chat.parentSpanID == executor.spanID)
            #expect(chat.kind == .client)
            #expect(chat.attribute("gen_ai.operation.name") == .string("chat"))
            #expect(chat.attribute("gen_ai.provider.name") == .string("anthropic"))
            #expect(chat.attribute("gen_ai.request.model") == .string("claude-haiku-4-5"))
            #expect(chat.attribute("gen_ai.usage.input_tokens") == .int(120))
            #expect(chat.attribute("gen_ai.usage.output_tokens") == .int(30))
            #expect(chat.attribute("nexus.service") == .string("orchestrator"))
            #expect(chat.attribute("nexus.task_type") == .string("simple_query"))
            #expect(chat.attribute("nexus.tier") == .string("standard"))
            #expect(chat.attribute("nexus.cost_usd") == .double(0.00027))
            #expect(chat.endUnixNs - chat.startUnixNs == 500_000)
        }
        #expect(chats.last?.attribute("nexus.module_context") == .string("time"))
    }

    @Test func aModulesToolIsAnExecuteToolSpanHoldingTheMCPClientSpanTheModuleWasGiven() throws {
        let spans = Self.build(Self.turnEvents())
        let executor = try #require(spans.first { $0.name == "executor" })
        let tool = try #require(spans.first { $0.name == "execute_tool time__get_current_time" })
        #expect(tool.parentSpanID == executor.spanID)
        #expect(tool.attribute("gen_ai.tool.name") == .string("time__get_current_time"))
        #expect(tool.attribute("gen_ai.tool.call.id") == .string("call_1"))
        let mcp = try #require(spans.first { $0.name == "tools/call get_current_time" })
        #expect(mcp.parentSpanID == tool.spanID)
        #expect(mcp.kind == .client)
        #expect(mcp.attribute("mcp.method.name") == .string("tools/call"))
        #expect(mcp.attribute("network.transport") == .string("pipe"))
        #expect(mcp.attribute("gen_ai.tool.name") == .string("get_current_time"))
        // The traceparent the module got names exactly this span.
        let parent = Self.identity.traceparent(turn: 7, callID: "call_1")
        #expect(parent == "00-\(mcp.traceID.hex)-\(TraceIdentity.hex(mcp.spanID))-01")
        // Module lifecycle outside the turn lands as an event on the open tool span.
        #expect(tool.events.map(\.name) == ["module.state"])
    }

    @Test func aFailedToolMarksBothSpansAsToolErrors() throws {
        var events = Self.turnEvents()
        let i = try #require(events.firstIndex { if case .toolResult = $0.kind { true } else { false } })
        events[i].kind = .toolResult(
            ToolResult(callID: "call_1", name: "time__get_current_time", content: "boom", isError: true), latencyMs: 1)
        let spans = Self.build(events)
        for name in ["execute_tool time__get_current_time", "tools/call get_current_time"] {
            let s = try #require(spans.first { $0.name == name })
            #expect(s.status == .error("tool_error"))
            #expect(s.attribute("error.type") == .string("tool_error"))
        }
    }

    @Test func eventsOutsideAnyTurnBecomeSpansOfTheirOwn() {
        var b = SpanBuilder(identity: Self.identity)
        let spans = b.consume(Event(turnID: 0, kind: .audit(actor: "cli", action: "store", target: "time/api_key")))
        #expect(spans.count == 1)
        #expect(
            spans.first?.events.first?.attributes.contains(SpanAttribute("nexus.audit.action", .string("store")))
                == true)
    }

    @Test func hostileNamesAreCutAndOpenTurnsAreBounded() {
        var b = SpanBuilder(identity: Self.identity)
        let long = String(repeating: "x", count: 10_000)
        var finished: [Span] = []
        for turn in 1...(SpanBuilder.maxOpenTurns + 5) {
            finished += b.consume(
                Event(turnID: turn, kind: .toolCall(ToolCall(id: long, name: long, arguments: .null), module: long)))
        }
        #expect(b.turns.count == SpanBuilder.maxOpenTurns)
        #expect(finished.filter { $0.parentSpanID == 0 }.count == 5)
        #expect(finished.allSatisfy { $0.name.count <= SpanBuilder.maxText + 20 })
    }

    @Test func textFromModulesAndErrorsIsScrubbedBeforeItEntersASpan() {
        let secret = "sk-live-123"
        var b = SpanBuilder(
            identity: Self.identity,
            redact: { $0.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "[REDACTED]") })
        _ = b.consume(Event(turnID: 2, kind: .turnStarted(input: "x")))
        _ = b.consume(
            Event(turnID: 0, kind: .moduleHealth(module: "leaky", health: .failing, reason: "401 for key \(secret)")))
        _ = b.consume(Event(turnID: 2, kind: .error(message: "boom \(secret)", hint: nil)))
        let spans = b.consume(Event(turnID: 2, kind: .turnFinished(outcome: "error", latencyMs: 1)))
        let root = spans.first { $0.parentSpanID == 0 }
        let health = root?.events.first { $0.name == "module.health" }
        #expect(health?.attributes.first { $0.key == "nexus.reason" }?.value == .string("401 for key [REDACTED]"))
        #expect(root?.status == .error("boom [REDACTED]"))
        let body = OTLPJSONEncoder(serviceName: "s", serviceVersion: "v").encode(spans)
        #expect(!String(decoding: body, as: UTF8.self).contains(secret))
    }
}
