import NexusCore
import NexusPOSIX
import Testing

@testable import NexusTUI

@Test func anApprovalWaitsForTheAnswerTypedInTheTUI() async throws {
    guard let wake = WakePipe() else { return }
    defer { wake.close() }
    let store = UIStore(wake: wake)
    let interaction = TUIInteraction()
    interaction.attach(store)
    let asked = Task { await interaction.decide(install("r1")) }
    // The request shows up in the UI; nothing is answered until a key says so.
    var shown = false
    for _ in 0..<200 where !shown {
        shown = store.read { $0.pendingApproval?.id == "r1" }
        if !shown { try await Task.sleep(nanoseconds: 1_000_000) }
    }
    #expect(shown)
    #expect(store.read { $0.chat.hasApproval(id: "r1") })
    let effects = store.update { $0.handle(.char("y"), completions: noCompletions) }
    #expect(effects == [.answerApproval(id: "r1", .yes)])
    interaction.resolve(id: "r1", .yes)
    #expect(await asked.value == .yes)
}

@Test func approvalsQueueAndShowOneAtATime() async throws {
    guard let wake = WakePipe() else { return }
    defer { wake.close() }
    let store = UIStore(wake: wake)
    let interaction = TUIInteraction()
    interaction.attach(store)
    let first = Task { await interaction.decide(install("q1")) }
    while store.read({ $0.pendingApproval == nil }) { try await Task.sleep(nanoseconds: 1_000_000) }
    let second = Task { await interaction.decide(install("q2")) }
    try await Task.sleep(nanoseconds: 20_000_000)
    #expect(store.read { $0.pendingApproval?.id } == "q1")
    interaction.resolve(id: "q1", .no)
    #expect(await first.value == .no)
    while store.read({ $0.pendingApproval?.id != "q2" }) { try await Task.sleep(nanoseconds: 1_000_000) }
    interaction.resolve(id: "q2", .always)
    #expect(await second.value == .always)
}

@Test func withoutARunningTUIEveryRequestIsDeniedAndExitDeniesWhatWaits() async throws {
    let interaction = TUIInteraction()
    #expect(await interaction.decide(install()) == .no)
    #expect(await interaction.askSecret(SecretPrompt(module: "m", name: "k")) == nil)
    guard let wake = WakePipe() else { return }
    defer { wake.close() }
    let store = UIStore(wake: wake)
    interaction.attach(store)
    let waiting = Task { await interaction.askSecret(SecretPrompt(module: "m", name: "k")) }
    while store.read({ $0.pendingSecret == nil }) { try await Task.sleep(nanoseconds: 1_000_000) }
    interaction.detach()
    #expect(await waiting.value == nil)
}

@Test func aTypedSecretReachesTheAsker() async throws {
    guard let wake = WakePipe() else { return }
    defer { wake.close() }
    let store = UIStore(wake: wake)
    let interaction = TUIInteraction()
    interaction.attach(store)
    let waiting = Task { await interaction.askSecret(SecretPrompt(module: "clash", name: "api_key")) }
    while store.read({ $0.pendingSecret == nil }) { try await Task.sleep(nanoseconds: 1_000_000) }
    var effects: [UIEffect] = []
    for k: Key in [.char("k"), .char("e"), .char("y"), .enter] {
        effects += store.update { $0.handle(k, completions: noCompletions) }
    }
    #expect(effects == [.answerSecret("key")])
    interaction.resolveSecret("key")
    #expect(await waiting.value == "key")
}

@Test func approvePolicyAnswersWithoutAskingButStillShowsTheRequest() async throws {
    guard let wake = WakePipe() else { return }
    defer { wake.close() }
    let store = UIStore(wake: wake)
    let yes = TUIInteraction(policy: .yes)
    yes.attach(store)
    #expect(await yes.decide(install("p1")) == .yes)
    #expect(store.read { $0.pendingApproval == nil })
    #expect(store.read { $0.chat.blocks.last?.text.hasSuffix("→ approved (--approve yes)") == true })
    #expect(await TUIInteraction(policy: .no).decide(install("p2")) == .no)
}
