import NexusCore

/// The executor node, home of the tool loop: ask the model, run the tools it asks for, feed the results
/// back, until it answers without a tool call or `[conversation] max_tool_steps` is reached (then the turn
/// fails with an error naming the limit: no answer came). Each step
/// trims the conversation to the model's context window; tokens stream out scrubbed. Every message it
/// adds (the model's, each tool result) goes to the session's transcript as it happens, so a cancelled
/// turn keeps what it had.
struct ExecutorNode: PipelineStage {
    /// The chain to ask (first is preferred, the rest fail over) and the tools offered.
    struct Assignment: Sendable {
        var chain: [ModelRef]
        var tools: [ToolDefinition]
    }

    let config: NexusConfig
    let gateway: any ModelGateway
    let transcript: any TurnTranscript
    let tools: ToolCallRunner
    let scrubber: any SecretScrubber
    let bus: EventBus
    /// The ledger tags and privacy mode of every model call this turn makes.
    let call: CallContext

    var node: PipelineNode { .executor }

    func run(_ assignment: Assignment) async throws -> String {
        var work = assignment
        var held: [String] = []
        // Once a turn; each source answers from what it kept while nothing changed (`ToolSource.heldBack`).
        for source in tools.sources { held += await source.heldBack() }
        let system = systemMessages(heldBack: held)
        let maxSteps = max(1, config.conversation.maxToolSteps)
        let turn = call.turn
        var lastTools: [String] = []
        for stepIndex in 0..<maxSteps {
            try Task.checkCancellation()
            let reply = try await ask(work, system: system, firstStep: stepIndex == 0)
            // What the model asked for is kept, shown and sent back scrubbed; the tool gets it as written.
            let assistant = ChatMessage.assistant(
                scrubber.redact(reply.text), toolCalls: reply.toolCalls.map(scrubber.redact))
            await transcript.record(assistant, turn: turn)
            if reply.toolCalls.isEmpty { return assistant.content }
            lastTools = reply.toolCalls.map(\.name)
            let cap = max(1, config.conversation.maxToolCallsPerStep)
            if reply.toolCalls.count > cap {
                bus.publish(turn: turn, .notice(Self.overCapNotice(asked: reply.toolCalls.count, cap: cap)))
            }
            for (index, toolCall) in reply.toolCalls.enumerated() {
                try Task.checkCancellation()
                // Past the cap a call is not run (nor shown, nor asked about), but the model gets an answer for
                // each: providers want one result per call, and it can ask again for what matters.
                let result =
                    index < cap
                    ? await tools.run(toolCall, turn: turn) : Self.notRun(toolCall, cap: cap)
                await transcript.record(.toolResult(result), turn: turn)
                // Tools `search_tools` found join the list from the next step on.
                work.tools = await tools.widen(work.tools, with: ToolSearchSource.found(in: result))
            }
        }
        throw Self.stepLimitError(steps: maxSteps, lastTools: lastTools, task: call.taskType)
    }

    /// The notice when one reply asks for more tool calls than `[conversation] max_tool_calls_per_step`.
    static func overCapNotice(asked: Int, cap: Int) -> String {
        "the model asked for \(asked) tool calls in one reply; ran the first \(cap) ([conversation] "
            + "max_tool_calls_per_step) and answered the other \(asked - cap) \"not run\""
    }

    /// The answer to a call past the cap: an error result the model can act on, the tool never run.
    static func notRun(_ call: ToolCall, cap: Int) -> ToolResult {
        ToolResult(
            callID: call.id, name: call.name,
            content: "not run: at most \(cap) tool calls run per reply; call it again in your next reply if it is "
                + "still needed", isError: true)
    }

    /// The turn's end when the model is still calling tools after `[conversation] max_tool_steps`: an error,
    /// not an empty answer with exit 0, so a script and a person both see that no answer came and why.
    static func stepLimitError(steps: Int, lastTools: [String], task: TaskType) -> NexusError {
        var seen = Set<String>()
        // Names come from the model: at most three, each cut to 64 characters.
        let names = lastTools.filter { seen.insert($0).inserted }.prefix(3).map { $0.cut(to: 64) }
            .joined(separator: ", ")
        return NexusError(
            "stopped after \(steps) tool steps without an answer: the model was still calling tools (last: \(names))",
            hint: "raise [conversation] max_tool_steps in nexus.toml (now \(steps), at most 100), or route \(task) "
                + "to a model that uses tools better: /model \(task) PROVIDER:MODEL")
    }

    /// One model call of the loop: the trimmed conversation and the tools go to the chain; text streams out
    /// as `token` events. Every model call the executor makes passes here.
    func ask(_ work: Assignment, system: [ChatMessage], firstStep: Bool) async throws -> ModelReply {
        let bus = self.bus
        let turn = call.turn
        let chain = work.chain
        let window = ContextTrimmer.window(
            forModel: chain[0].model, configured: config.provider(named: chain[0].provider)?.contextWindow)
        let (messages, dropped) = ContextTrimmer.trim(
            system + (await transcript.messages()), window: window,
            reserve: config.conversation.maxOutputTokens)
        if dropped > 0 && firstStep {
            bus.publish(
                turn: turn, .notice("context trimmed: \(dropped) oldest turn(s) left out to fit \(chain[0].model)"))
        }
        let request = LLMRequest(
            model: chain[0].model, messages: messages, tools: work.tools,
            maxTokens: config.conversation.maxOutputTokens)
        // Tokens pass one carry-over window: a secret split across pieces is still caught, and only
        // the last (longest secret form - 1) bytes wait for the next piece or the end of the call.
        let stream = ScrubbedStream(scrubber)
        do {
            let reply = try await gateway.complete(chain: chain, request: request, context: call) { piece in
                let safe = stream.push(piece)
                if !safe.isEmpty { bus.publish(turn: turn, .token(safe)) }
            }
            let rest = stream.finish()
            if !rest.isEmpty { bus.publish(turn: turn, .token(rest)) }
            return reply
        } catch {
            let rest = stream.finish()
            if !rest.isEmpty { bus.publish(turn: turn, .token(rest)) }
            throw error
        }
    }

    /// The system prompt (`[conversation] system_prompt` or the default), then what the tool sources hold back.
    func systemMessages(heldBack: [String] = []) -> [ChatMessage] {
        let base =
            config.conversation.systemPrompt
            ?? "You are NEXUS, a concise terminal assistant. Use the tools offered when they help; answer plainly."
        guard !heldBack.isEmpty else { return [.system(base)] }
        return [.system(base + "\n\n" + heldBack.joined(separator: "\n"))]
    }
}
