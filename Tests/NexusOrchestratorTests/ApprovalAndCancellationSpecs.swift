import NexusCore
import NexusOrchestrator
import NexusTesting
import Synchronization
import Testing

/// Approvals and Ctrl-C in the turn loop, in process.
@Suite struct ApprovalAndCancellationSpecs {
    static let config = TurnLoopSpecs.config()

    @Test func aRefusedSensitiveToolEndsTheTurnAsApprovalDeniedAndTheModelHearsWhy() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [
                .reply(text: "", toolCalls: [TurnLoopSpecs.call("delete_all", ["path": "/"])]),
                .reply(text: "I did not delete anything."),
            ])
        let ran = Mutex(false)
        let tools = ScriptedToolSource([
            .init(name: "delete_all", sensitive: true) { _ in
                ran.withLock { $0 = true }
                return ("deleted", false)
            }
        ])
        let person = ScriptedInteraction(answers: [.no])
        let nexus = try InProcessNexus(config: Self.config, providers: [fake], tools: [tools], interaction: person)
        let (outcome, events) = await nexus.run("clean up everything")
        #expect(outcome == .approvalDenied)
        #expect(ran.withLock { $0 } == false)
        #expect(person.approvalsAsked.count == 1)
        let asked = events.compactMap { if case .approvalRequired(let r) = $0.kind { r } else { nil } }
        let answered = events.compactMap { if case .approval(let id, let d) = $0.kind { (id, d) } else { nil } }
        #expect(asked.map(\.id) == answered.map(\.0), "every request published is answered on the bus")
        #expect(answered.first?.1 == .no)
        #expect(fake.requests.last?.messages.last?.content.contains("refused") == true)
        #expect(
            events.last.map { if case .turnFinished(let o, _) = $0.kind { o == "approval_denied" } else { false } }
                == true)
        await nexus.close()
    }

    @Test func anApprovedSensitiveToolRunsAndTheTurnIsOk() async throws {
        let fake = ScriptedProvider(
            name: "fake",
            steps: [.reply(text: "", toolCalls: [TurnLoopSpecs.call("send", ["to": "a"])]), .reply(text: "sent")])
        let tools = ScriptedToolSource([.init(name: "send", sensitive: true) { _ in ("ok", false) }])
        let nexus = try InProcessNexus(
            config: Self.config, providers: [fake], tools: [tools], interaction: ScriptedInteraction(answers: [.yes]))
        let (outcome, _) = await nexus.run("send it")
        #expect(outcome == .done)
        #expect(tools.received.count == 1)
        await nexus.close()
    }

    @Test func cancellingDuringAModelCallEndsTheTurnOnceAndTheSessionGoesOn() async throws {
        let fake = ScriptedProvider(name: "fake", steps: [.hang, .reply(text: "still here")])
        let nexus = try InProcessNexus(config: Self.config, providers: [fake])
        let orchestrator = nexus.orchestrator
        let canceller = Task {
            while fake.requests.isEmpty { try? await Task.sleep(nanoseconds: 2_000_000) }
            orchestrator.cancelCurrentTurn()
        }
        let (outcome, events) = await nexus.run("this will hang")
        _ = await canceller.value
        #expect(outcome == .cancelled)
        let finished = events.compactMap { if case .turnFinished(let o, _) = $0.kind { o } else { nil } }
        #expect(finished == ["cancelled"])
        #expect(!events.contains { if case .error = $0.kind { true } else { false } }, "a cancel is not an error")
        let (next, after) = await nexus.run("are you there?")
        #expect(next == .done)
        #expect(after.contains { if case .final(let t) = $0.kind { t == "still here" } else { false } })
        await nexus.close()
    }

    @Test func cancellingDuringASlowToolStopsTheTurnWithoutWaitingForIt() async throws {
        let fake = ScriptedProvider(
            name: "fake", steps: [.reply(text: "", toolCalls: [TurnLoopSpecs.call("slow")]), .reply(text: "done")])
        let started = Mutex(false)
        let tools = ScriptedToolSource([
            .init(name: "slow") { _ in
                started.withLock { $0 = true }
                try? await Task.sleep(nanoseconds: 10_000_000_000)
                return ("late", false)
            }
        ])
        let nexus = try InProcessNexus(config: Self.config, providers: [fake], tools: [tools])
        let orchestrator = nexus.orchestrator
        let canceller = Task {
            while !started.withLock({ $0 }) { try? await Task.sleep(nanoseconds: 2_000_000) }
            orchestrator.cancelCurrentTurn()
        }
        let clock = ContinuousClock()
        let began = clock.now
        let (outcome, _) = await nexus.run("run the slow tool")
        _ = await canceller.value
        #expect(outcome == .cancelled)
        #expect(clock.now - began < .seconds(5), "the 10 s tool is not waited for")
        #expect(fake.requests.count == 1, "the model is not asked again after a cancel")
        await nexus.close()
    }
}
