import NexusCore
import NexusLLM

/// Decides, before a model call, whether it fits the spending caps of `[budget]` (issue 16): the call's
/// cost is estimated from the prompt's tokens and the pricing table, added to what each cap's window has
/// spent, and compared. Pure: the caller brings the spending and acts on the verdict (`BudgetedGateway`).
///
/// The estimate counts the prompt only (input tokens × input price); the answer's tokens are not known
/// before the call, so a call may end a little over a cap, and the next one is then refused. A model
/// whose estimate is 0 (local, or a cloud model with no known price) always fits: it adds nothing.
public struct BudgetGuard: Sendable {
    /// What has been spent in each cap's window, in USD.
    public struct Spending: Sendable, Equatable {
        public var today: Double
        public var session: Double
        public var turn: Double
        /// Today's spending on this call's task type.
        public var routeToday: Double

        public init(today: Double = 0, session: Double = 0, turn: Double = 0, routeToday: Double = 0) {
            self.today = today
            self.session = session
            self.turn = turn
            self.routeToday = routeToday
        }
    }

    /// The cap a call would break: its scope (`per_turn`, `route:<task>`, `session`, `daily`), what that
    /// window has spent, the cap, and the call's estimate.
    public struct Breach: Sendable, Equatable {
        public var scope: String
        public var spentUSD: Double
        public var capUSD: Double
        public var estimateUSD: Double
    }

    public enum Verdict: Sendable, Equatable {
        /// The first model of the chain fits every cap.
        case proceed
        /// It does not, but the chain's model at `index` is cheaper and fits: use the chain from there.
        case downgrade(index: Int, breach: Breach)
        /// Nothing in the chain that fits may be used: ask, or stop (`[budget] on_exceed`).
        case exceeded(Breach)
    }

    public let config: BudgetConfig
    let pricing: PricingTable
    let localProviders: Set<String>

    public init(config: NexusConfig) {
        self.config = config.budget
        self.pricing = PricingTable(config: config)
        self.localProviders = Set(config.providers.filter(ConfigDecoder.isOnThisMachine).map(\.name))
    }

    /// The estimated cost of sending a prompt of `promptTokens` tokens to `ref`, in USD.
    public func estimate(_ ref: ModelRef, promptTokens: Int) -> Double {
        pricing.quote(
            provider: ref.provider, model: ref.model, isLocal: localProviders.contains(ref.provider),
            tokensIn: promptTokens, tokensOut: 0
        ).costUSD
    }

    /// The first cap a call of `estimate` USD for `task` would break, most specific first.
    public func breach(estimate: Double, task: TaskType, spending: Spending) -> Breach? {
        guard estimate > 0 else { return nil }
        let caps: [(String, Double?, Double)] = [
            ("per_turn", config.perTurnUSD, spending.turn),
            ("route:\(task.rawValue)", config.routes[task], spending.routeToday),
            ("session", config.sessionUSD, spending.session),
            ("daily", config.dailyUSD, spending.today),
        ]
        for (scope, cap, spent) in caps {
            guard let cap else { continue }
            if spent + estimate > cap {
                return Breach(scope: scope, spentUSD: spent, capUSD: cap, estimateUSD: estimate)
            }
        }
        return nil
    }

    /// Whether the chain's first model may be called, which cheaper one to use instead, or neither.
    public func check(chain: [ModelRef], task: TaskType, promptTokens: Int, spending: Spending) -> Verdict {
        guard config.isActive, let first = chain.first else { return .proceed }
        let cost = estimate(first, promptTokens: promptTokens)
        guard let broken = breach(estimate: cost, task: task, spending: spending) else { return .proceed }
        if config.onExceed == .downgrade {
            for index in chain.indices.dropFirst() {
                let cheaper = estimate(chain[index], promptTokens: promptTokens)
                if cheaper < cost && breach(estimate: cheaper, task: task, spending: spending) == nil {
                    return .downgrade(index: index, breach: broken)
                }
            }
        }
        return .exceeded(broken)
    }
}
