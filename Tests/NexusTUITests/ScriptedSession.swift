import NexusCore
import NexusOrchestrator
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A stand-in for the orchestrator that publishes what a real turn publishes — pipeline nodes
/// entering and leaving with latencies, a route, a model, streamed tokens, usage, an approval — so
/// the TUI can be driven without providers. It speaks only the public `AgentSession` API.
final class ScriptedSession: AgentSession {
    let bus = EventBus()
    let interaction: (any InteractionHandler)?
    let tokenDelayNs: UInt64
    private let cancelled = Atomic<Bool>(false)
    private let turn = Atomic<Int>(0)
    let submitted = Mutex<[String]>([])
    let approvals = Mutex<[ApprovalDecision]>([])

    static let commands: [Completion] = [
        .init(text: "/help", summary: "list commands"),
        .init(text: "/model", summary: "show or set the model for a task type"),
        .init(text: "/modules", summary: "list installed modules"),
        .init(text: "/cost", summary: "tokens and cost"),
        .init(text: "/clear", summary: "start a new conversation"),
        .init(text: "/install", summary: "install a module (asks for approval)"),
        .init(text: "/quit", summary: "exit"),
    ]

    init(interaction: (any InteractionHandler)? = nil, tokenDelayNs: UInt64 = 2_000_000) {
        self.interaction = interaction
        self.tokenDelayNs = tokenDelayNs
    }

    func completions(for prefix: String) -> [Completion] { Self.commands.filter { $0.text.hasPrefix(prefix) } }

    func cancelCurrentTurn() { cancelled.store(true, ordering: .relaxed) }

    func status() async -> StatusSnapshot {
        var s = StatusSnapshot()
        s.providers = [
            .init(name: "local", kind: "openai", isLocal: true, reachable: true),
            .init(name: "anthropic", kind: "anthropic", isLocal: false, reachable: false),
        ]
        s.modules = [
            .init(name: "weather", health: .healthy, calls: 12, errorRate: 0, p50LatencyMs: 85, lastError: nil),
            .init(
                name: "clashroyale", health: .degraded, calls: 4, errorRate: 0.25, p50LatencyMs: 420,
                lastError: "HTTP 429 rate limited"),
        ]
        s.sandboxTier = "B"
        s.allTimeByProvider = [.init(key: "local", tokensIn: 12_000, tokensOut: 30_500, costUSD: 0)]
        s.allTimeByTask = [.init(key: "simple_query", tokensIn: 12_000, tokensOut: 30_500, costUSD: 0)]
        return s
    }

    func submit(_ line: String) async -> SubmitOutcome {
        submitted.withLock { $0.append(line) }
        let t = turn.add(1, ordering: .relaxed).newValue
        switch line.split(separator: " ").first.map(String.init) ?? "" {
        case "/quit": return .quit
        case "/clear": return .cleared
        case "/help":
            let text = Self.commands.map { "\($0.text)  \($0.summary)" }.joined(separator: "\n")
            bus.publish(turn: t, .commandOutput(command: "/help", text: text))
            return .done
        case "/install":
            return await install(turn: t)
        default:
            return await chat(line, turn: t)
        }
    }

    func install(turn t: Int) async -> SubmitOutcome {
        let req = ApprovalRequest(
            id: "install-\(t)", kind: .moduleInstall, title: "install module weather",
            details: [
                .init("name", "weather"), .init("purpose", "current weather by city"),
                .init("tests", "6 passed"), .init("network", "api.open-meteo.com"),
                .init("credentials", "none"), .init("sha256", "9f2c1e0b7a"),
            ])
        bus.publish(turn: t, .approvalRequired(req))
        let d = await interaction?.decide(req) ?? .no
        approvals.withLock { $0.append(d) }
        bus.publish(turn: t, .approval(id: req.id, decision: d))
        bus.publish(
            turn: t,
            .commandOutput(command: "/install", text: d.granted ? "module weather installed" : "install declined"))
        return .done
    }

    func chat(_ line: String, turn t: Int) async -> SubmitOutcome {
        cancelled.store(false, ordering: .relaxed)
        bus.publish(turn: t, .turnStarted(input: line))
        let stations: [(PipelineNode, Double, String?)] = [
            (.input, 0.4, nil), (.classifier, 12, nil), (.tierRouter, 0.2, nil), (.modelSelector, 0.3, nil),
            (.toolPicker, 1.1, "no tools"),
        ]
        for (node, ms, detail) in stations {
            bus.publish(turn: t, .nodeEntered(node))
            if node == .classifier {
                bus.publish(turn: t, .route(taskType: "simple_query", tier: "standard", reason: "keywords"))
            }
            if node == .modelSelector {
                bus.publish(turn: t, .modelSelected(model: "local:qwen2.5-coder:3b", chain: []))
            }
            await sleep(5_000_000)
            bus.publish(turn: t, .nodeLeft(node, latencyMs: ms, detail: detail))
        }
        bus.publish(turn: t, .nodeEntered(.executor))
        let words = Self.answer(for: line)
        var outcome = "ok"
        for w in words {
            if cancelled.load(ordering: .relaxed) {
                outcome = "cancelled"
                break
            }
            bus.publish(turn: t, .token(w))
            await sleep(tokenDelayNs)
        }
        bus.publish(turn: t, .nodeLeft(.executor, latencyMs: 240, detail: nil))
        if outcome == "cancelled" {
            bus.publish(turn: t, .notice("turn cancelled"))  // as Orchestrator.finishCancelled does
            bus.publish(turn: t, .turnFinished(outcome: outcome, latencyMs: 300))
            return .cancelled
        }
        bus.publish(turn: t, .nodeEntered(.synthesis))
        bus.publish(
            turn: t,
            .llmCall(
                LLMCallRecord(
                    taskType: "simple_query", provider: "local", model: "qwen2.5-coder:3b", tier: "standard",
                    tokensIn: 42, tokensOut: words.count, latencyMs: 250, costUSD: 0, outcome: "ok", isLocal: true)))
        bus.publish(turn: t, .nodeLeft(.synthesis, latencyMs: 3, detail: nil))
        bus.publish(turn: t, .final(text: words.joined()))
        bus.publish(turn: t, .turnFinished(outcome: "ok", latencyMs: 300))
        return .done
    }

    static func answer(for line: String) -> [String] {
        if line.hasPrefix("huge") {  // 5,000 tokens, for measuring a long stream by hand
            return (0..<5_000).map { i in
                i % 97 == 96 ? "日本語.\n" : ["the ", "model ", "streams ", "😀 ", "tokens "][i % 5]
            }
        }
        if line.hasPrefix("long") {
            return (0..<400).map { i in i % 50 == 49 ? "word\(i).\n" : "word\(i) " }
        }
        let text =
            "Sure. Here is 日本語 text and an emoji 😀 in a streamed answer.\n```swift\nprint(\"hi\")\n```\nDone: ANSWER-END"
        var out: [String] = []
        var cur = ""
        for c in text {
            cur.append(c)
            if c == " " || c == "\n" {
                out.append(cur)
                cur = ""
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    func sleep(_ ns: UInt64) async { try? await Task.sleep(nanoseconds: ns) }
}
