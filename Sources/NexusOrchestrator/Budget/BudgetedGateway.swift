import NexusCore
import NexusLLM
import NexusStore
import Synchronization

/// The budget guard in front of every model call: a `ModelGateway` that wraps the real one, so the turn,
/// the classifier, builds and ReAct corrections are all checked, and the turn loop stays unaware of it.
///
/// Before a call it estimates the cost (`BudgetGuard`) against what has been spent: today from the
/// ledger (other sessions' rows) plus this session's own calls, which it counts itself as they finish
/// (the ledger is written asynchronously, so a call's row may not be there when the next call starts).
/// Over a cap it downgrades to the next cheaper model of the chain and announces it, or asks the person
/// (`approval_required` in the TUI or line mode; `--approve no` and a script without an answer say no),
/// or stops; a refusal ends the turn with `BudgetError` (exit 3). Every decision is a `.budget` event.
public final class BudgetedGateway: ModelGateway {
    let inner: any ModelGateway
    let guardian: BudgetGuard
    let ledger: LedgerRepository
    let bus: EventBus
    let approvals: any ApprovalHandler
    let pricing: PricingTable
    let localProviders: Set<String>
    private let state = Mutex(State())

    struct State {
        var session = 0.0
        var byTask: [TaskType: Double] = [:]
        var byTurn: [Int: Double] = [:]
        /// Turns in which going over was approved (`yes`), and whether it was approved for the session.
        var approvedTurns: Set<Int> = []
        var approvedSession = false
    }

    /// `inner` unless the configuration sets a cap: no cap, no check, no cost.
    public static func wrap(
        _ inner: any ModelGateway, context: NexusContext, approvals: any ApprovalHandler
    ) -> any ModelGateway {
        guard context.config.budget.isActive else { return inner }
        return BudgetedGateway(
            inner: inner, config: context.config, ledger: LedgerRepository(db: context.database), bus: context.bus,
            approvals: approvals)
    }

    public init(
        inner: any ModelGateway, config: NexusConfig, ledger: LedgerRepository, bus: EventBus,
        approvals: any ApprovalHandler
    ) {
        self.inner = inner
        self.guardian = BudgetGuard(config: config)
        self.ledger = ledger
        self.bus = bus
        self.approvals = approvals
        self.pricing = PricingTable(config: config)
        self.localProviders = Set(config.providers.filter(ConfigDecoder.isOnThisMachine).map(\.name))
    }

    public func complete(
        chain: [ModelRef], request: LLMRequest, context: CallContext, onText: @Sendable (String) -> Void
    ) async throws -> ModelReply {
        var chain = chain
        var request = request
        let spending = self.spending(context)
        let verdict = guardian.check(
            chain: chain, task: context.taskType, promptTokens: TokenEstimate.input(request), spending: spending)
        switch verdict {
        case .proceed:
            break
        case .downgrade(let index, let b):
            let from = chain[0]
            chain = Array(chain[index...])
            request.model = chain[0].model
            bus.publish(
                turn: context.turn, .budget(scope: b.scope, spentUSD: b.spentUSD, capUSD: b.capUSD, action: "downgrade")
            )
            bus.publish(
                turn: context.turn,
                .notice(
                    "budget: \(from) would go over the \(BudgetText.scopeName(b.scope)) cap "
                        + "(\(Money.dollars(b.spentUSD, decimals: 4)) of \(Money.dollars(b.capUSD, decimals: 2))); "
                        + "using \(chain[0]) instead"))
        case .exceeded(let b):
            try await overCap(b, model: chain[0], context: context)
        }
        let reply = try await inner.complete(chain: chain, request: request, context: context, onText: onText)
        count(reply, context: context)
        return reply
    }

    /// Over a cap with nothing cheaper: stop, or ask (once per turn; `always` for the session).
    func overCap(_ b: BudgetGuard.Breach, model: ModelRef, context: CallContext) async throws {
        let approved = state.withLock { $0.approvedSession || $0.approvedTurns.contains(context.turn) }
        if approved { return }
        let stops = guardian.config.onExceed == .stop
        let refuse = { [bus] in
            bus.publish(
                turn: context.turn, .budget(scope: b.scope, spentUSD: b.spentUSD, capUSD: b.capUSD, action: "stop"))
            return BudgetError(
                breach: b, model: model, task: context.taskType, stopsWithoutAsking: stops)
        }
        if stops { throw refuse() }
        bus.publish(turn: context.turn, .budget(scope: b.scope, spentUSD: b.spentUSD, capUSD: b.capUSD, action: "ask"))
        let request = ApprovalRequest(
            id: "budget-\(b.scope)-\(context.turn)", kind: .other,
            title: "Go over the \(BudgetText.scopeName(b.scope)) budget for this call?",
            details: [
                .init("model", model.description), .init("task", context.taskType.rawValue),
                .init("estimate", Money.dollars(b.estimateUSD, decimals: 4)),
                .init("spent", Money.dollars(b.spentUSD, decimals: 4)),
                .init("cap", Money.dollars(b.capUSD, decimals: 2)),
            ])
        let published = PublishedApproval(
            inner: approvals, bus: bus, turn: context.turn, denials: TurnDenials(), scrubber: NoSecrets())
        let decision = await published.decide(request)
        guard decision.granted else { throw refuse() }
        state.withLock {
            if decision == .always || decision == .alwaysTool { $0.approvedSession = true }
            $0.approvedTurns.insert(context.turn)
        }
    }

    /// What each cap's window has spent before this call.
    func spending(_ context: CallContext) -> BudgetGuard.Spending {
        let config = guardian.config
        let today = LedgerRepository.startOfDayUTC()
        let own = state.withLock { s in
            (s.session, s.byTask[context.taskType] ?? 0, s.byTurn[context.turn] ?? 0)
        }
        // Other sessions' spending today; a ledger that cannot be read counts as nothing spent there
        // (this session's own calls are still counted), and says so once per call.
        func others(task: String?) -> Double {
            do {
                return try ledger.spent(since: today, excludingSession: context.session, taskType: task)
            } catch {
                bus.publish(turn: context.turn, .notice("budget: could not read the ledger: \(error)"))
                return 0
            }
        }
        let daily = config.dailyUSD == nil ? 0 : others(task: nil)
        let route = config.routes[context.taskType] == nil ? 0 : others(task: context.taskType.rawValue)
        return BudgetGuard.Spending(
            today: daily + own.0, session: own.0, turn: own.2, routeToday: route + own.1)
    }

    /// Adds a finished call's cost to this session's counts.
    func count(_ reply: ModelReply, context: CallContext) {
        let cost = pricing.quote(
            provider: reply.servedBy.provider, model: reply.servedBy.model,
            isLocal: localProviders.contains(reply.servedBy.provider), tokensIn: reply.tokensIn,
            tokensOut: reply.tokensOut
        ).costUSD
        state.withLock { s in
            s.session += cost
            s.byTask[context.taskType, default: 0] += cost
            s.byTurn[context.turn, default: 0] += cost
            if s.byTurn.count > 64, let oldest = s.byTurn.keys.min() { s.byTurn[oldest] = nil }
        }
    }

    /// This session's spending so far, for the status bar.
    public var sessionSpent: Double { state.withLock { $0.session } }
}
