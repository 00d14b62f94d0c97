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
    public func guarding(_ model: any BuildModel, current: @escaping @Sendable () -> Double) -> any BuildModel {
        Guarded(inner: model, budget: self, current: current)
    }

    struct Guarded: BuildModel {
        let inner: any BuildModel
        let budget: EvolveBudget
        let current: @Sendable () -> Double

        func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
            let spent = budget.spentUSD + current()
            if spent >= budget.limitUSD { throw EvolveBudgetReached(spentUSD: spent, limitUSD: budget.limitUSD) }
            return try await inner.complete(stage: stage, system: system, prompt: prompt)
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
