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
}
