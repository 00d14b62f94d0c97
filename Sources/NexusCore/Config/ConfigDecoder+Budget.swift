/// `[budget]` and `[budget.routes]`: spending caps in USD, checked before every model call (issue 16).
/// Every cap is off (nil) unless set to more than 0.
public struct BudgetConfig: Sendable, Equatable {
    /// What to do when a call would go over a cap.
    public enum OnExceed: String, Sendable, CaseIterable {
        /// The next cheaper model of the chain, announced; when there is none, ask in a face and stop in a
        /// script.
        case downgrade
        /// Ask the person (TUI or line mode); a script without one stops with exit 3.
        case ask
        /// Refuse the call; the turn ends with exit 3.
        case stop
    }

    /// Spending of the current calendar day (UTC), all sessions together, from the ledger.
    public var dailyUSD: Double?
    /// Spending of this session.
    public var sessionUSD: Double?
    /// Spending of one turn (every model call in it).
    public var perTurnUSD: Double?
    /// A day's spending on one task type (`[budget.routes] code_generation = 0.50`).
    public var routes: [TaskType: Double] = [:]
    public var onExceed: OnExceed = .downgrade

    public init() {}

    /// True when any cap is set.
    public var isActive: Bool { dailyUSD != nil || sessionUSD != nil || perTurnUSD != nil || !routes.isEmpty }
}

extension ConfigDecoder {
    static let budgetKeys = ["daily_usd", "session_usd", "per_turn_usd", "on_exceed", "routes"]

    mutating func decodeBudget(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "budget")
        warnUnknownKeys(in: t, path: "budget", known: Self.budgetKeys)
        if let x = t["daily_usd"] { config.budget.dailyUSD = try cap(x, "budget.daily_usd") }
        if let x = t["session_usd"] { config.budget.sessionUSD = try cap(x, "budget.session_usd") }
        if let x = t["per_turn_usd"] { config.budget.perTurnUSD = try cap(x, "budget.per_turn_usd") }
        if let x = t["on_exceed"] {
            let s = try choice(x, "budget.on_exceed", BudgetConfig.OnExceed.allCases.map(\.rawValue))
            config.budget.onExceed = BudgetConfig.OnExceed(rawValue: s) ?? .downgrade
        }
        if let x = t["routes"] {
            let routes = try table(x, "budget.routes")
            for entry in routes.entries {
                let path = Self.join("budget.routes", entry.key)
                guard TaskType.isValidName(entry.key) else {
                    throw fail(entry.value, path, expected: "a task type name (lowercase letters, digits, _)")
                }
                if let c = try cap(entry.value, path) { config.budget.routes[TaskType(entry.key)] = c }
            }
        }
    }

    /// A cap in USD; 0 means no cap (nil).
    func cap(_ v: TOMLValue, _ path: String) throws(ConfigError) -> Double? {
        let d = try usd(v, path)
        return d == 0 ? nil : d
    }

    /// An amount in USD: 0 or more, at most a million.
    func usd(_ v: TOMLValue, _ path: String) throws(ConfigError) -> Double {
        guard let d = v.number, d >= 0, d <= 1_000_000 else {
            throw fail(v, path, expected: "an amount in USD from 0 to 1000000")
        }
        return d
    }
}
