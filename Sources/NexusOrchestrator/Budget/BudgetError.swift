import NexusCore

/// A model call refused because it would go over a spending cap and nobody said yes: exit 3, as any
/// approval a script could not give (DESIGN §4.1).
public struct BudgetError: UserFacingError, CustomStringConvertible {
    public var breach: BudgetGuard.Breach
    public var model: ModelRef
    /// The task type the call was for, named in the hint's `/model` (nil: `TASK`).
    public var task: TaskType?
    /// `on_exceed = "stop"`: nobody is ever asked, so the hint does not offer approving it.
    public var stopsWithoutAsking = false

    public var userMessage: String {
        "budget: \(model) would cost about \(Money.dollars(breach.estimateUSD, decimals: 4)) and go over the "
            + "\(BudgetText.scopeName(breach.scope)) cap (\(Money.dollars(breach.spentUSD, decimals: 4)) of "
            + "\(Money.dollars(breach.capUSD, decimals: 2)) spent)"
    }

    public var hint: String? {
        let route = "route the task to a cheaper model (/model \(task?.rawValue ?? "TASK") PROVIDER:MODEL)"
        let approve =
            stopsWithoutAsking
            ? "or set on_exceed = \"ask\" to be asked" : "or run interactively to approve it"
        return "raise the cap in [budget] of nexus.toml, \(route), \(approve); `nexus budget` shows the spending"
    }

    public var exitCode: ExitStatus { .approvalNeeded }
    public var description: String { userMessage }
}

/// Names and lines shared by `nexus budget`, the status bar and the guard's messages.
public enum BudgetText {
    /// "daily", "session", "per-turn", "code_generation (daily)".
    public static func scopeName(_ scope: String) -> String {
        switch scope {
        case "per_turn": return "per-turn"
        case let s where s.hasPrefix("route:"): return "\(s.dropFirst("route:".count)) (daily)"
        default: return scope
        }
    }
}
