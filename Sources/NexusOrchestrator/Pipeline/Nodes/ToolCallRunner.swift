import NexusCore
import NexusLLM

/// Runs one tool call the model asked for, for the executor: finds the source that owns the tool, lets it
/// ask for approval through the turn's `PublishedApproval`, and announces `tool_call` and `tool_result`
/// (scrubbed, the output cut to its budget). An unknown tool is an error result naming the ones there are,
/// and arguments that are not a JSON object (unreadable JSON, an array, a number) are an error result saying
/// so, the tool never run: a module would otherwise get `{}` and act on its defaults. Either way the model
/// can correct itself.
struct ToolCallRunner: Sendable {
    let sources: [any ToolSource]
    let interaction: any InteractionHandler
    let denials: TurnDenials
    let scrubber: any SecretScrubber
    let bus: EventBus

    func run(_ call: ToolCall, turn: Int) async -> ToolResult {
        let owner = await source(for: call.name)
        let module = owner.map { _ in Self.moduleName(of: call.name) } ?? nil
        bus.publish(turn: turn, .toolCall(scrubber.redact(call), module: module))
        let start = MonotonicClock.nanoseconds()
        var result: ToolResult
        if owner != nil, let invalid = ToolArguments.invalidMessage(for: call) {
            result = ToolResult(
                callID: call.id, name: call.name, content: invalid + "; call it again with a JSON object",
                isError: true)
        } else if let owner {
            let approval = PublishedApproval(
                inner: interaction, bus: bus, turn: turn, denials: denials, scrubber: scrubber)
            result = await owner.call(call, approval: approval)
        } else {
            let names = await allToolNames().joined(separator: ", ")
            // The name is the model's: quoted back whole only when it is short.
            let asked = call.name.cut(to: 64)
            result = ToolResult(
                callID: call.id, name: call.name, content: "unknown tool \"\(asked)\"; available: \(names)",
                isError: true)
        }
        result.name = scrubber.redact(result.name)
        result.content = ToolBudget.cut(
            scrubber.redact(result.content), to: ToolBudget.resultCharacters, what: "tool output")
        bus.publish(turn: turn, .toolResult(result, latencyMs: MonotonicClock.millisSince(start)))
        return result
    }

    func source(for name: String) async -> (any ToolSource)? {
        for s in sources where await s.owns(name) { return s }
        return nil
    }

    /// `offered` plus the named tools not in it yet (cut to the per-tool budget: `ToolBudget.trimmed`).
    func widen(_ offered: [ToolDefinition], with names: [String]) async -> [ToolDefinition] {
        let wanted = Set(names).subtracting(offered.map(\.name))
        guard !wanted.isEmpty else { return offered }
        var out = offered
        for s in sources {
            for t in await s.tools() where wanted.contains(t.name) && !out.contains(where: { $0.name == t.name }) {
                out.append(ToolBudget.trimmed(t))
            }
        }
        return out
    }

    func allToolNames() async -> [String] {
        var names: [String] = []
        for s in sources { names += await s.tools().map(\.name) }
        return names
    }

    /// `weather__forecast` → `weather`; nil for a built-in tool's plain name.
    static func moduleName(of namespacedTool: String) -> String? {
        guard let r = namespacedTool.firstRange(of: "__") else { return nil }
        return String(namespacedTool[..<r.lowerBound])
    }
}
