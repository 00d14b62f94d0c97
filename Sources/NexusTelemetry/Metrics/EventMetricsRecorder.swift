import NexusCore
import Synchronization

/// Turns the kernel's events into metrics: the one place that knows which event feeds which series.
///
/// It subscribes to the `EventBus` losslessly, so the turn loop never calls a metrics API (one publish per
/// event is all a turn pays) and `/metrics`, the ledger, the faces and traces read the same stream. Every
/// label a module, a model server or a config can choose goes through a `LabelBound`.
public final class EventMetricsRecorder: Sendable {
    public let metrics: NexusMetrics
    let bounds: Bounds
    private let state = Mutex(State())

    /// Label bounds: modules up to `moduleCapacity` (1,024 by default), anything else far fewer.
    struct Bounds: Sendable {
        let module: LabelBound
        let provider = LabelBound(capacity: 64)
        let model = LabelBound(capacity: 256)
        let taskType = LabelBound(capacity: 64)
        let outcome = LabelBound(capacity: 32)
        let action = LabelBound(capacity: 64)
        let scope = LabelBound(capacity: 128)
        init(moduleCapacity: Int) { module = LabelBound(capacity: moduleCapacity) }
    }

    private struct State {
        /// Tool calls waiting for their result: call id → module.
        var pending: [String: String] = [:]
        /// Last CPU total per module process, so the counter only grows.
        var cpu: [String: Double] = [:]
    }

    /// Configured provider name → `gen_ai.provider.name` (`GenAIProviderName.table`); a name not here is used as is.
    let providerNames: [String: String]

    public init(
        metrics: NexusMetrics = NexusMetrics(), moduleCapacity: Int = 1024, providerNames: [String: String] = [:]
    ) {
        self.metrics = metrics
        self.bounds = Bounds(moduleCapacity: moduleCapacity)
        self.providerNames = providerNames
    }

    /// How long the recorder lets events gather after a turn ends.
    static let pauseMs = 5

    /// Subscribes to `bus` (lossless) and records every event until the bus finishes.
    ///
    /// After a `turn_finished` less than `pauseMs` old it pauses for `pauseMs`, so back-to-back turns' events
    /// gather in the buffer and this task wakes about once per `pauseMs` instead of once per event (as the `Tracer`
    /// does: the wake-ups, not the recording, were most of what metrics cost a turn on a busy machine). An older
    /// `turn_finished` means it is behind: it catches up without pausing, so the page lags by a few pauses at most.
    @discardableResult
    public func attach(to bus: EventBus) -> Task<Void, Never> {
        let subscription = bus.subscribe(.lossless)
        return Task.detached { [self] in await consume(subscription) }
    }

    /// Records `subscription`'s events, pausing as `attach` says, until it ends (the bus finishes or the
    /// subscription is cancelled; a benchmark switches recording on and off that way).
    public func consume(_ subscription: EventSubscription) async {
        let pauseNs = UInt64(Self.pauseMs) * 1_000_000
        for await event in subscription.events {
            record(event)
            guard case .turnFinished = event.kind, MonotonicClock.nanoseconds() &- event.timestampNs < pauseNs
            else { continue }
            try? await Task.sleep(for: .milliseconds(Self.pauseMs))
        }
    }

    /// Records one event.
    public func record(_ event: Event) {
        switch event.kind {
        case .llmCall(let r): recordLLMCall(r)
        case .turnFinished(let outcome, let ms):
            guard outcome != "command" else { return }
            metrics.observe(MetricSeries.turnDuration, [], ms / 1000)
            metrics.increment(MetricSeries.turns, [("outcome", bounds.outcome.label(outcome))])
        case .nodeLeft(let node, let ms, _):
            metrics.observe(MetricSeries.nodeDuration, [("node", node.rawValue)], ms / 1000)
        case .toolCall(let call, let module):
            guard let module else { return }
            state.withLock { s in
                if s.pending.count >= 4096 { s.pending.removeAll() }
                s.pending[call.id] = module
            }
        case .toolResult(let result, let ms):
            guard let module = state.withLock({ $0.pending.removeValue(forKey: result.callID) }) else { return }
            let m = bounds.module.label(module)
            metrics.increment(MetricSeries.moduleCalls, [("module", m), ("outcome", result.isError ? "error" : "ok")])
            metrics.observe(MetricSeries.moduleCallDuration, [("module", m)], ms / 1000)
        case .moduleHealth(let module, let health, _):
            setModuleHealth(module, health)
        case .moduleResources(let module, let rss, let cpu):
            recordResources(module, residentBytes: rss, cpuSeconds: cpu)
        case .sandboxRun(let mode, let outcome, let ms):
            let mode = bounds.action.label(mode)
            metrics.increment(MetricSeries.sandboxRuns, [("mode", mode), ("outcome", bounds.outcome.label(outcome))])
            metrics.observe(MetricSeries.sandboxRunDuration, [("mode", mode)], ms / 1000)
        case .egress(let module, _, let verdict):
            metrics.increment(
                MetricSeries.egressRequests,
                [("module", bounds.module.label(module)), ("verdict", bounds.outcome.label(verdict))])
        case .buildFinished(_, let outcome, let ms):
            metrics.increment(MetricSeries.builds, [("outcome", bounds.outcome.label(outcome))])
            metrics.observe(MetricSeries.buildDuration, [], ms / 1000)
        case .audit(let actor, let action, _):
            guard actor == "vault" else { return }
            metrics.increment(MetricSeries.vaultOperations, [("action", bounds.action.label(action))])
        case .budget(let scope, let spent, let cap, let action):
            let s = bounds.scope.label(scope)
            metrics.set(MetricSeries.budgetSpent, [("scope", s)], spent)
            metrics.set(MetricSeries.budgetCap, [("scope", s)], cap)
            if action != "status" {
                metrics.increment(MetricSeries.budgetActions, [("scope", s), ("action", bounds.action.label(action))])
            }
        default:
            return
        }
    }

    /// Sets a module's health gauge (0 healthy … 3 disabled); `unknown` leaves it as it was.
    public func setModuleHealth(_ module: String, _ health: ModuleHealth) {
        guard let v = MetricSeries.healthValue(health.rawValue) else { return }
        metrics.set(MetricSeries.moduleHealth, [("module", bounds.module.label(module))], v)
    }

    func recordLLMCall(_ r: LLMCallRecord) {
        let provider = bounds.provider.label(r.provider)
        let model = bounds.model.label(r.model)
        let pm = [("provider", provider), ("model", model)]
        metrics.increment(
            MetricSeries.llmRequests,
            pm + [("task_type", bounds.taskType.label(r.taskType)), ("outcome", bounds.outcome.label(r.outcome))])
        metrics.increment(MetricSeries.llmTokens, pm + [("direction", "input")], by: max(0, r.tokensIn))
        metrics.increment(MetricSeries.llmTokens, pm + [("direction", "output")], by: max(0, r.tokensOut))
        metrics.add(MetricSeries.llmCost, pm + [("module", bounds.module.label(r.moduleContext ?? "none"))], r.costUSD)
        metrics.observe(MetricSeries.llmDuration, pm, r.latencyMs / 1000)
        if let ttft = r.timeToFirstTokenMs { metrics.observe(MetricSeries.llmTimeToFirstToken, pm, ttft / 1000) }
        // OpenTelemetry GenAI client metrics: operation "chat", provider and requested model.
        let genAIProvider = providerNames[r.provider].map { bounds.provider.label($0) } ?? provider
        let genAI = [
            ("gen_ai_operation_name", "chat"), ("gen_ai_provider_name", genAIProvider), ("gen_ai_request_model", model),
        ]
        let errorType = r.outcome == "ok" ? "" : bounds.outcome.label(r.outcome)
        metrics.observe(MetricSeries.genAIOperationDuration, genAI + [("error_type", errorType)], r.latencyMs / 1000)
        guard r.outcome == "ok" else { return }
        metrics.observe(MetricSeries.genAITokenUsage, genAI + [("gen_ai_token_type", "input")], Double(r.tokensIn))
        metrics.observe(MetricSeries.genAITokenUsage, genAI + [("gen_ai_token_type", "output")], Double(r.tokensOut))
    }

    func recordResources(_ module: String, residentBytes: Int, cpuSeconds: Double) {
        let m = bounds.module.label(module)
        metrics.set(MetricSeries.moduleResident, [("module", m)], Double(max(0, residentBytes)))
        guard cpuSeconds.isFinite, cpuSeconds >= 0 else { return }
        // The sample is the process tree's running total; a smaller one means a new process: count it whole.
        let delta = state.withLock { s -> Double in
            let last = s.cpu[m] ?? 0
            s.cpu[m] = cpuSeconds
            return cpuSeconds >= last ? cpuSeconds - last : cpuSeconds
        }
        metrics.add(MetricSeries.moduleCPU, [("module", m)], delta)
    }
}
