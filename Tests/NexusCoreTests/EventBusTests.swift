import NexusCore
import Testing

@Suite struct EventBusSpecs {
    @Test func losslessSubscriberReceivesEveryEventInOrder() async {
        let bus = EventBus()
        let sub = bus.subscribe(.lossless)
        for i in 0..<10_000 { bus.publish(turn: i, .token("t")) }
        bus.finish()
        var seen = 0
        for await e in sub.events {
            #expect(e.turnID == seen)
            seen += 1
        }
        #expect(seen == 10_000)
        #expect(sub.droppedCount == 0)
    }

    @Test func slowUISubscriberDropsOldestAndCountsDrops() async {
        let bus = EventBus()
        let ui = bus.subscribe(.dropOldest(capacity: 8))
        for i in 0..<100 { bus.publish(turn: i, .token("x")) }
        bus.finish()
        var turns: [Int] = []
        for await e in ui.events { turns.append(e.turnID) }
        #expect(turns == Array(92..<100))
        #expect(ui.droppedCount == 92)
    }

    @Test func publishingNeverWaitsForASubscriberThatIsNotReading() {
        let bus = EventBus()
        let stuck = bus.subscribe(.dropOldest(capacity: 1))
        let start = MonotonicClock.nanoseconds()
        for _ in 0..<100_000 { bus.publish(turn: 0, .token("x")) }
        // Not a timing assertion on speed: only that we got here, and drops were counted.
        #expect(stuck.droppedCount == 99_999)
        #expect(MonotonicClock.nanoseconds() >= start)
    }

    @Test func aRetainedNoticeReachesAFaceThatSubscribesLaterFirstAndEarlierSubscribersOnce() async {
        let bus = EventBus()
        let early = bus.subscribe(.lossless)
        bus.publish(turn: 0, .notice("not kept"))
        bus.publishRetained(turn: 0, .notice("admin API on http://127.0.0.1:41234"))
        let face = bus.subscribe(.dropOldest(capacity: 64))
        bus.publish(turn: 1, .token("live"))
        bus.finish()
        func texts(_ s: EventSubscription) async -> [String] {
            var out: [String] = []
            for await e in s.events {
                switch e.kind {
                case .notice(let t): out.append(t)
                case .token(let t): out.append(t)
                default: break
                }
            }
            return out
        }
        #expect(await texts(early) == ["not kept", "admin API on http://127.0.0.1:41234", "live"])
        #expect(await texts(face) == ["admin API on http://127.0.0.1:41234", "live"])
    }

    @Test func onlyTheNewestRetainedEventsAreKept() async {
        let bus = EventBus()
        for i in 0..<(EventBus.retainedLimit + 5) { bus.publishRetained(turn: i, .notice("n\(i)")) }
        let late = bus.subscribe(.lossless)
        bus.finish()
        var turns: [Int] = []
        for await e in late.events { turns.append(e.turnID) }
        #expect(turns == Array(5..<(EventBus.retainedLimit + 5)))
    }

    @Test func cancelledSubscriptionIsRemoved() async {
        let bus = EventBus()
        let sub = bus.subscribe(.lossless)
        #expect(bus.subscriberCount == 1)
        sub.cancelSubscription()
        for await _ in sub.events {}
        #expect(bus.subscriberCount == 0)
    }

    @Test func jsonLineStartsWithTypeAndCarriesTheSeedTags() {
        let r = LLMCallRecord(
            taskType: "code_generation", provider: "anthropic", model: "claude-sonnet-4-5", tier: "heavy", tokensIn: 10,
            tokensOut: 20, latencyMs: 5, costUSD: 0.001, outcome: "ok", isLocal: false)
        let line = Event(turnID: 2, kind: .llmCall(r), timestampNs: 1_234_567_891_000).json.serialized
        #expect(
            line.hasPrefix(
                #"{"type":"usage","turn":2,"t_ms":1234567.891,"service":"orchestrator","task_type":"code_generation""#))
        for tag in ["provider", "model", "module_context", "tier", "tokens_in", "tokens_out", "latency_ms", "cost_usd"]
        {
            #expect(line.contains("\"\(tag)\":"))
        }
    }

    @Test func observabilityEventsHaveStableTypesAndPayloads() {
        let cases: [(EventKind, String)] = [
            (
                .moduleResources(module: "weather", residentBytes: 4096, cpuSeconds: 1.5),
                #""type":"module_resources","turn":0,"t_ms":0,"module":"weather","resident_bytes":4096,"cpu_seconds":1.5"#
            ),
            (
                .sandboxRun(mode: "validate", outcome: "ok", latencyMs: 20),
                #""type":"sandbox_run","turn":0,"t_ms":0,"mode":"validate","outcome":"ok","latency_ms":20"#
            ),
            (
                .egress(module: "weather", host: "api.example.com", verdict: "blocked"),
                #""type":"egress","turn":0,"t_ms":0,"module":"weather","host":"api.example.com","verdict":"blocked""#
            ),
            (
                .buildFinished(module: "cr", outcome: "installed", latencyMs: 900),
                #""type":"build_finished","turn":0,"t_ms":0,"module":"cr","outcome":"installed","latency_ms":900"#
            ),
            (
                .budget(scope: "daily", spentUSD: 1.25, capUSD: 1, action: "downgrade"),
                #""type":"budget","turn":0,"t_ms":0,"scope":"daily","spent_usd":1.25,"cap_usd":1,"action":"downgrade""#
            ),
        ]
        for (kind, body) in cases {
            #expect(Event(turnID: 0, kind: kind, timestampNs: 0).json.serialized == "{" + body + "}")
        }
    }

    @Test func timeToFirstTokenIsNullUntilSomethingStreamed() {
        var r = LLMCallRecord(
            taskType: "chat", provider: "ollama", model: "m", tier: "light", tokensIn: 1, tokensOut: 1, latencyMs: 5,
            costUSD: 0, outcome: "ok", isLocal: true)
        #expect(Event(turnID: 1, kind: .llmCall(r), timestampNs: 0).json.serialized.hasSuffix(#""ttft_ms":null}"#))
        r.timeToFirstTokenMs = 12.5
        #expect(Event(turnID: 1, kind: .llmCall(r), timestampNs: 0).json.serialized.hasSuffix(#""ttft_ms":12.5}"#))
    }
}
