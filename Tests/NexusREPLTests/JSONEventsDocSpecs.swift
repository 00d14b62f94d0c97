import NexusCore
import NexusPOSIX
import Testing

@testable import NexusREPL

/// docs/json-events.md is the contract a `--json` consumer reads: every event type line mode can print has
/// a row there, and the row names every field the line carries. A new `EventKind` case does not compile
/// here until it has a sample (the switch is exhaustive), and then fails until the page documents it.
@Suite struct JSONEventsDocSpecs {
    static var page: String {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return (try? FileSystem.readText(dir + "/docs/json-events.md")) ?? ""
    }

    /// One event of every kind, with every optional field present.
    static let samples: [EventKind] = {
        let call = ToolCall(id: "c1", name: "calc", arguments: ["expression": "1+1"])
        let record = LLMCallRecord(
            taskType: "simple_query", provider: "p", model: "m", moduleContext: "mod", tier: "standard", tokensIn: 1,
            tokensOut: 1, latencyMs: 1, costUSD: 0, outcome: "ok", isLocal: true, timeToFirstTokenMs: 1)
        let approval = ApprovalRequest(
            id: "a", kind: .sensitiveTool, title: "t", details: [.init("k", "v")], tool: "x", proof: ["p": 1])
        return [
            .turnStarted(input: "hi"), .nodeEntered(.input), .nodeLeft(.input, latencyMs: 1, detail: "d"),
            .route(taskType: "simple_query", tier: "standard", reason: "r"), .modelSelected(model: "p:m", chain: []),
            .token("x"), .toolCall(call, module: "mod"),
            .toolResult(ToolResult(callID: "c1", name: "calc", content: "2"), latencyMs: 1),
            .approvalRequired(approval), .approval(id: "a", decision: .yes), .llmCall(record),
            .retry(provider: "p", attempt: 2, delaySeconds: 1, reason: "r"), .fallback(from: "a", to: "b", reason: "r"),
            .final(text: "x"), .error(message: "m", hint: "h"), .notice("n"),
            .moduleHealth(module: "m", health: .degraded, reason: "r"), .moduleState(module: "m", state: "serving"),
            .audit(actor: "a", action: "b", target: "c"), .turnFinished(outcome: "ok", latencyMs: 1),
            .commandOutput(command: "cost", text: "t"), .moduleResources(module: "m", residentBytes: 1, cpuSeconds: 1),
            .sandboxRun(mode: "exec", outcome: "ok", latencyMs: 1), .egress(module: "m", host: "h", verdict: "allowed"),
            .buildFinished(module: "m", outcome: "installed", latencyMs: 1),
            .budget(scope: "daily", spentUSD: 1, capUSD: 2, action: "status"),
            .routeChanged(taskType: "simple_query", chain: ["p:m"], by: "/model"),
        ]
    }()

    /// Fails to compile when `EventKind` gains a case `samples` does not hold.
    static func sampled(_ kind: EventKind) -> Bool {
        switch kind {
        case .turnStarted, .nodeEntered, .nodeLeft, .route, .modelSelected, .token, .toolCall, .toolResult,
            .approvalRequired, .approval, .llmCall, .retry, .fallback, .final, .error, .notice, .moduleHealth,
            .moduleState, .audit, .turnFinished, .commandOutput, .moduleResources, .sandboxRun, .egress,
            .buildFinished, .budget, .routeChanged:
            true
        }
    }

    /// The table row of `type` on the page: the line starting "| `type` |".
    static func row(_ type: String, in page: String) -> String? {
        page.split(separator: "\n").first { $0.hasPrefix("| `\(type)` |") }.map(String.init)
    }

    @Test func everyEventTypeHasARowThatNamesEachOfItsFields() throws {
        let page = Self.page
        try #require(!page.isEmpty, "docs/json-events.md is missing")
        #expect(Self.samples.allSatisfy(Self.sampled))
        for kind in Self.samples {
            let line = Event(turnID: 1, kind: kind).json
            let type = try #require(line["type"]?.stringValue)
            guard let row = Self.row(type, in: page) else {
                Issue.record("docs/json-events.md has no row for `\(type)`")
                continue
            }
            let keys = line.objectValue?.keys.filter { !["type", "turn", "t_ms"].contains($0) } ?? []
            for key in keys {
                #expect(row.contains("`\(key)`"), "the row of `\(type)` does not name its field `\(key)`")
            }
        }
    }

    @Test func everyLineIsOneJSONObjectWithTypeTurnAndTimeFirst() {
        let out = PipeCapture()
        let renderer = EventRenderer(style: .json, out: OutputSink(fd: out.writeEnd), color: false)
        var state = RenderState()
        for kind in Self.samples + [.token("two\nlines \u{1B}[31m"), .error(message: "m", hint: nil)] {
            _ = renderer.render(Event(turnID: 1, kind: kind), state: &state)
        }
        let lines = out.drain().split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == Self.samples.count + 2, "one line per event, however its text is made")
        for line in lines {
            let v = try? JSONValue(parsing: String(line))
            #expect(Array(v?.objectValue?.keys.prefix(3) ?? []) == ["type", "turn", "t_ms"], "\(line)")
        }
    }
}
