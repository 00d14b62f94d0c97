import NexusCore
import Synchronization

/// The most an evolve run may spend, checked before every model call (not only between rounds): a round whose
/// next call would start past the budget stops there and is recorded as interrupted.
public final class EvolveBudget: Sendable {
    public let limitUSD: Double
    private let spentBefore = Mutex<Double>(0)

    public init(limitUSD: Double) { self.limitUSD = limitUSD }

    /// What finished rounds of this run cost.
    public var spentUSD: Double { spentBefore.withLock { $0 } }
    public func add(_ usd: Double) { spentBefore.withLock { $0 += usd } }
    public var reached: Bool { spentUSD >= limitUSD }

    /// `model` with the check in front of each call; `current` is what the round spent so far (its ledger rows).
    /// `ledgerCalls` is how many calls the round's ledger holds: the ledger is written by an event-bus subscriber,
    /// so a row can land after the reply; the check waits (up to `settleSeconds`) until every call made through this
    /// guard is in it, or a call that crossed the budget would not yet count and the next one would be made.
    public func guarding(
        _ model: any BuildModel, current: @escaping @Sendable () -> Double,
        ledgerCalls: (@Sendable () -> Int)? = nil, settleSeconds: Double = 2
    ) -> any BuildModel {
        Guarded(inner: model, budget: self, current: current, ledgerCalls: ledgerCalls, settle: settleSeconds)
    }

    /// Calls made through one guard.
    final class Made: Sendable {
        let count = Mutex(0)
    }

    struct Guarded: BuildModel {
        let inner: any BuildModel
        let budget: EvolveBudget
        let current: @Sendable () -> Double
        let ledgerCalls: (@Sendable () -> Int)?
        let settle: Double
        let made = Made()

        func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
            if let ledgerCalls {
                let want = made.count.withLock { $0 }
                var waited = 0.0
                while ledgerCalls() < want && waited < settle {
                    try await Task.sleep(for: .milliseconds(25))
                    waited += 0.025
                }
            }
            let spent = budget.spentUSD + current()
            if spent >= budget.limitUSD { throw EvolveBudgetReached(spentUSD: spent, limitUSD: budget.limitUSD) }
            let reply = try await inner.complete(stage: stage, system: system, prompt: prompt)
            // Only a call that replied is waited for (one that failed may have no row); at worst a reply without
            // a row makes the next check wait `settle` once more.
            made.count.withLock { $0 += 1 }
            return reply
        }
    }
}

/// The budget was reached: the run stops before the next model call.
public struct EvolveBudgetReached: UserFacingError {
    public var spentUSD: Double
    public var limitUSD: Double
    public var userMessage: String {
        "evolve: the budget is reached (\(Money.dollars(spentUSD, decimals: 4)) of \(Money.dollars(limitUSD, decimals: 2)))"
    }
    public var hint: String? { "run again with a higher --budget to go on" }
}
