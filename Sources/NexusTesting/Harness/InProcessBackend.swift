import NexusCore
import NexusModules
import NexusOrchestrator
import NexusStore

/// The harness in memory: `InProcessNexus` with a `ScriptedProvider` per provider, an `InMemoryVault`, and
/// a `PassThroughLauncher` that runs each fake MCP module in process.
final class InProcessBackend: HarnessBackend {
    let nexus: InProcessNexus
    let providers: [String: ScriptedProvider]
    let launcher: PassThroughLauncher

    private init(nexus: InProcessNexus, providers: [String: ScriptedProvider], launcher: PassThroughLauncher) {
        self.nexus = nexus
        self.providers = providers
        self.launcher = launcher
    }

    static func start(_ setup: NexusTestHarness.Setup) async throws -> InProcessBackend {
        var providers: [String: ScriptedProvider] = [:]
        for name in setup.providers { providers[name] = ScriptedProvider(name: name) }
        let vault = try InMemoryVault()
        let launcher = PassThroughLauncher(mode: .inProcess)
        let config = NexusTestHarness.config(setup) { _ in "http://127.0.0.1:9/v1" }
        let nexus = try InProcessNexus(
            config: config, providers: setup.providers.compactMap { providers[$0] },
            interaction: ScriptedInteraction(fallback: setup.approve ? .yes : .no), vault: vault, launcher: launcher)
        // In the order the binary's setup takes: install (the vault still empty), then `creds set`.
        for module in setup.modules { try await nexus.install(module) }
        for s in setup.secrets {
            try vault.store(module: s.module, name: s.name, value: s.value, actor: "user:creds set")
        }
        return InProcessBackend(nexus: nexus, providers: providers, launcher: launcher)
    }

    func script(_ provider: String, _ steps: [NexusTestHarness.ModelStep]) {
        guard let p = providers[provider] else { return }
        for step in steps {
            switch step {
            case .text(let t): p.enqueue(.reply(text: t))
            case .toolCall(let name, let args):
                let id = "call_\(p.requests.count + p.remainingSteps)"
                p.enqueue(.reply(text: "", toolCalls: [ToolCall(id: id, name: name, arguments: args)]))
            case .fail(let status): p.enqueue(.fail(.server(status: status), message: "scripted \(status)"))
            case .hang: p.enqueue(.hang)
            }
        }
    }

    func run(_ prompt: String, cancel: NexusTestHarness.CancelPoint?) async throws -> TurnRecord {
        let before = Self.toolCallsReceived(launcher)
        let canceller = cancel.map { _ in
            Task { [launcher, nexus] in
                while Self.toolCallsReceived(launcher) == before && !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: 2_000_000)  // polling; a cancelled wait just stops
                }
                nexus.orchestrator.cancelCurrentTurn()
            }
        }
        let (outcome, events) = await nexus.run(prompt)
        canceller?.cancel()
        let json = events.map(\.json)
        try await waitForLedger()
        var requests: [String: [[TurnRecord.Message]]] = [:]
        var offered: [String: [[String]]] = [:]
        for (name, p) in providers {
            requests[name] = p.requests.map { r in
                r.messages.map { TurnRecord.Message(role: $0.role.rawValue, content: $0.content) }
            }
            offered[name] = p.requests.map { $0.tools.map(\.name) }
        }
        let calls = try nexus.modules?.host.registry.recordedCalls() ?? []
        return TurnRecord(
            events: json, modelRequests: requests, toolsOffered: offered, ledger: try ledger(),
            moduleCalls: calls.map { .init(module: $0.module, tool: $0.tool, outcome: $0.outcome) },
            exitStatus: Self.exitStatus(outcome))
    }

    /// What `nexus -p` exits with for this outcome (LineModeApp.runOnce).
    static func exitStatus(_ outcome: SubmitOutcome) -> Int32 {
        switch outcome {
        case .done, .quit, .cleared: 0
        case .failed(let s): s.rawValue
        case .cancelled: 1
        case .approvalDenied: 3
        }
    }

    static func toolCallsReceived(_ launcher: PassThroughLauncher) -> Int {
        launcher.servers.reduce(0) { $0 + $1.calls.count }
    }

    /// The ledger is written by its own subscriber: waits until it holds every model call made so far.
    private func waitForLedger() async throws {
        let made = providers.values.reduce(0) { $0 + $1.requests.count }
        for _ in 0..<15_000 where try ledger().values.reduce(0, +) < made {
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }

    private func ledger() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for t in try LedgerRepository(db: nexus.context.database).totals(by: .provider) { out[t.key] = t.calls }
        return out
    }

    func close() async { await nexus.close() }
}
