import NexusCore
import NexusTelemetry
import Testing

/// The event→metrics recorder: each series the issue lists, fed through a real EventBus (issue 16 item 1).
struct EventMetricsRecorderTests {
    /// Publishes `kinds` on a bus the recorder listens to, waits until it recorded them all, renders.
    static func render(_ kinds: [EventKind], recorder: EventMetricsRecorder = EventMetricsRecorder()) async -> String {
        let bus = EventBus()
        let task = recorder.attach(to: bus)
        for k in kinds { bus.publish(turn: 1, k) }
        bus.finish()
        await task.value
        return recorder.metrics.render()
    }

    static func call(
        provider: String = "anthropic", model: String = "claude", module: String? = nil, outcome: String = "ok",
        ttft: Double? = 120
    ) -> EventKind {
        .llmCall(
            LLMCallRecord(
                taskType: "code_generation", provider: provider, model: model, moduleContext: module, tier: "heavy",
                tokensIn: 100, tokensOut: 40, latencyMs: 1500, costUSD: 0.25, outcome: outcome, isLocal: false,
                timeToFirstTokenMs: ttft))
    }

    @Test func anLLMCallFeedsRequestsTokensCostDurationTTFTAndTheGenAIHistograms() async {
        let text = await Self.render([
            Self.call(module: "github"), Self.call(module: nil, outcome: "rate_limited", ttft: nil),
        ])
        #expect(
            text.contains(
                #"nexus_llm_requests_total{provider="anthropic",model="claude",task_type="code_generation",outcome="ok"} 1"#
            ))
        #expect(
            text.contains(
                #"nexus_llm_requests_total{provider="anthropic",model="claude",task_type="code_generation",outcome="rate_limited"} 1"#
            ))
        #expect(text.contains(#"nexus_llm_tokens_total{provider="anthropic",model="claude",direction="input"} 200"#))
        #expect(text.contains(#"nexus_llm_tokens_total{provider="anthropic",model="claude",direction="output"} 80"#))
        #expect(text.contains(#"nexus_llm_cost_usd_total{provider="anthropic",model="claude",module="github"} 0.25"#))
        #expect(text.contains(#"nexus_llm_cost_usd_total{provider="anthropic",model="claude",module="none"} 0.25"#))
        #expect(text.contains(#"nexus_llm_request_duration_seconds_count{provider="anthropic",model="claude"} 2"#))
        #expect(
            text.contains(#"nexus_llm_request_duration_seconds_bucket{provider="anthropic",model="claude",le="2.5"} 2"#)
        )
        #expect(text.contains(#"nexus_llm_time_to_first_token_seconds_count{provider="anthropic",model="claude"} 1"#))
        #expect(
            text.contains(
                #"gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude",gen_ai_token_type="input"} 100"#
            ))
        #expect(
            text.contains(
                #"gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude",error_type="rate_limited"} 1"#
            ))
    }

    @Test func turnsNodesAndModuleCallsMatchedByCallID() async {
        let call = ToolCall(id: "c1", name: "github.search", arguments: .object(JSONObject()))
        let other = ToolCall(id: "c2", name: "calc", arguments: .object(JSONObject()))
        let text = await Self.render([
            .nodeLeft(.classifier, latencyMs: 2, detail: nil), .toolCall(call, module: "github"),
            .toolCall(other, module: nil),
            .toolResult(ToolResult(callID: "c2", name: "calc", content: "4"), latencyMs: 1),
            .toolResult(ToolResult(callID: "c1", name: "github.search", content: "x", isError: true), latencyMs: 30),
            .turnFinished(outcome: "ok", latencyMs: 2000), .turnFinished(outcome: "command", latencyMs: 0),
        ])
        #expect(text.contains(#"nexus_pipeline_node_duration_seconds_count{node="classifier"} 1"#))
        #expect(text.contains(#"nexus_module_calls_total{module="github",outcome="error"} 1"#))
        #expect(text.contains(#"nexus_module_call_duration_seconds_count{module="github"} 1"#))
        #expect(!text.contains(#"module="calc""#))
        #expect(text.contains("nexus_turn_duration_seconds_count 1"))
        #expect(text.contains(#"nexus_turns_total{outcome="ok"} 1"#))
    }

    @Test func healthResourcesSandboxEgressBuildsVaultAndBudget() async {
        let text = await Self.render([
            .moduleHealth(module: "a", health: .healthy, reason: nil),
            .moduleHealth(module: "b", health: .failing, reason: "crash"),
            .moduleHealth(module: "c", health: .disabled, reason: nil),
            .moduleHealth(module: "d", health: .unknown, reason: nil),
            .moduleResources(module: "a", residentBytes: 4096, cpuSeconds: 1.5),
            .moduleResources(module: "a", residentBytes: 8192, cpuSeconds: 2.0),
            // The process restarted: its total starts again, and the counter still only grows.
            .moduleResources(module: "a", residentBytes: 1024, cpuSeconds: 0.5),
            .sandboxRun(mode: "validate", outcome: "ok", latencyMs: 300),
            .egress(module: "a", host: "api.github.com", verdict: "blocked"),
            .buildFinished(module: "m", outcome: "installed", latencyMs: 60_000),
            .audit(actor: "vault", action: "read", target: "a/TOKEN"),
            .audit(actor: "sandbox", action: "exec", target: "x"),
            .budget(scope: "daily", spentUSD: 4.5, capUSD: 5, action: "status"),
            .budget(scope: "daily", spentUSD: 5.5, capUSD: 5, action: "stop"),
        ])
        #expect(text.contains(#"nexus_module_health{module="a"} 0"#))
        #expect(text.contains(#"nexus_module_health{module="b"} 2"#))
        #expect(text.contains(#"nexus_module_health{module="c"} 3"#))
        #expect(!text.contains(#"nexus_module_health{module="d"}"#))
        #expect(text.contains(#"nexus_module_resident_memory_bytes{module="a"} 1024"#))
        #expect(text.contains(#"nexus_module_cpu_seconds_total{module="a"} 2.5"#))
        #expect(text.contains(#"nexus_sandbox_runs_total{mode="validate",outcome="ok"} 1"#))
        #expect(text.contains(#"nexus_egress_requests_total{module="a",verdict="blocked"} 1"#))
        #expect(!text.contains("api.github.com"))
        #expect(text.contains(#"nexus_builds_total{outcome="installed"} 1"#))
        #expect(text.contains(#"nexus_vault_operations_total{action="read"} 1"#))
        #expect(!text.contains(#"action="exec""#))
        #expect(text.contains(#"nexus_budget_spent_usd{scope="daily"} 5.5"#))
        #expect(text.contains(#"nexus_budget_cap_usd{scope="daily"} 5"#))
        #expect(text.contains(#"nexus_budget_actions_total{scope="daily",action="stop"} 1"#))
    }

    @Test func hostileLabelValuesAreCleanedAndNewOnesBeyondTheBoundBecomeOther() async {
        let recorder = EventMetricsRecorder(moduleCapacity: 3)
        var kinds: [EventKind] = []
        for i in 0..<50 { kinds.append(.moduleHealth(module: "m\(i)", health: .healthy, reason: nil)) }
        kinds.append(.egress(module: "evil\"} 1\nnexus_fake 9\n", host: "h", verdict: "allowed\n"))
        kinds.append(Self.call(model: String(repeating: "x", count: 500)))
        let text = await Self.render(kinds, recorder: recorder)
        #expect(text.contains(#"nexus_module_health{module="m0"} 0"#))
        #expect(text.contains(#"nexus_module_health{module="other"} 0"#))
        #expect(!text.contains(#"module="m3""#))
        #expect(!text.contains("nexus_fake"))
        #expect(text.contains(#"verdict="allowed_""#))
        #expect(text.contains("model=\"" + String(repeating: "x", count: 64) + "\""))
        #expect(!text.contains(String(repeating: "x", count: 65)))
    }

    @Test func aPageServedAgainBetweenChangesNeverHidesANewChange() {
        let recorder = EventMetricsRecorder()
        recorder.record(Event(turnID: 0, kind: .moduleHealth(module: "a", health: .healthy, reason: nil)))
        let first = String(decoding: recorder.metrics.renderBytes(), as: UTF8.self)
        #expect(first.contains(#"nexus_module_health{module="a"} 0"#))
        #expect(recorder.metrics.renderBytes() == Array(first.utf8))
        recorder.record(Event(turnID: 0, kind: .moduleHealth(module: "a", health: .failing, reason: "x")))
        let second = String(decoding: recorder.metrics.renderBytes(), as: UTF8.self)
        #expect(second.contains(#"nexus_module_health{module="a"} 2"#))
    }
}
