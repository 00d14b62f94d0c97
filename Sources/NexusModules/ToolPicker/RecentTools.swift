import NexusCore

/// What the session has been doing, as the picker's memory from one turn to the next. A chat is a conversation:
/// after "what did ana say in #releases" the model called Slack's channel history, and "reply that I'll look at it
/// after lunch" names no app. Ranked alone, that turn offers the reply tools of whichever mail or chat look-alike
/// scores best; the tools the conversation is using are gone.
///
/// Built from the session's transcript: the tools the model called successfully in the last `horizon` chat turns
/// (a tool `search_tools` found and the model then called is one of them). Two uses, both bounded:
/// - `keep`: those tools stay offered, the most recent first, in at most `share(of:)` of the budget (a third), and
///   only in the places the turn's own picks leave: they never push out more than a third of what the turn asked for;
/// - `apps`: the apps they belong to weigh in the ranking's usage prior (`AppUsagePrior.withSession`) for the next
///   turns, 1 for the turn before and less for each older one, so among look-alikes the conversation's app leads.
///   An app the turn names weighs as much, so "now check my gmail" after Slack turns goes to Gmail.
///
/// "Recent" is three turns: a follow-up refers to the last exchange or the one before ("and react to it", "send
/// the same to #design"); three turns without a call of a tool means the person has moved on, and a longer memory
/// would keep the budget's third busy with tools of a finished task.
public struct RecentTools: Sendable, Equatable {
    /// One tool the session called: its namespaced name and how many turns ago (0: the turn before this one).
    public struct Use: Sendable, Equatable {
        public let tool: String
        public let turnsAgo: Int
    }

    /// How many past turns are remembered.
    public static let horizon = 3
    /// No memory: the picker ranks the turn alone.
    public static let none = RecentTools(turns: [])

    /// One entry per tool, the most recently called first.
    public let uses: [Use]

    public var isEmpty: Bool { uses.isEmpty }

    /// `turns`: the tools each earlier turn of the session called successfully, oldest turn first, in call order.
    /// Only namespaced (module) tools count: built-ins are always offered anyway.
    public init(turns: [[String]], horizon: Int = RecentTools.horizon) {
        var uses: [Use] = []
        var seen = Set<String>()
        for (ago, called) in turns.suffix(max(horizon, 0)).reversed().enumerated() {
            for tool in called.reversed() where tool.contains(ToolNamespace.separator) && seen.insert(tool).inserted {
                uses.append(Use(tool: tool, turnsAgo: ago))
            }
        }
        self.uses = uses
    }

    /// The session's memory read from its transcript (the messages of earlier turns; the turn being picked for is not
    /// in it yet): each user message opens a turn, and a tool result that is not an error is a successful call.
    public init(transcript: [ChatMessage], horizon: Int = RecentTools.horizon) {
        var turns: [[String]] = []
        for message in transcript {
            switch message.role {
            case .user: turns.append([])
            case .tool:
                guard !message.isError, let name = message.toolName, !turns.isEmpty else { continue }
                turns[turns.count - 1].append(name)
            default: continue
            }
        }
        self.init(turns: turns, horizon: horizon)
    }

    /// The most remembered tools a budget of `k` keeps: a third of it, so the turn's own picks keep two thirds.
    public static func share(of k: Int) -> Int { max(k, 0) / 3 }

    /// Per app (a tool's `app__` namespace), how much the session has been using it: 1 for the turn before, one
    /// `horizon`th less for each turn older.
    public var apps: [String: Double] {
        var out: [String: Double] = [:]
        let h = Double(max(Self.horizon, 1))
        for use in uses {
            let app = ToolIndex.splitName(use.tool).namespace
            out[app] = max(out[app] ?? 0, (h - Double(use.turnsAgo)) / h)
        }
        return out
    }

    /// `picked` (best first) cut to `k`, with the remembered tools it lacks in its last places, at most `share(of: k)`
    /// of them, the most recent first. `lookup` finds a remembered tool among the tools installed now (nil: gone).
    public func keep<T>(_ picked: [T], k: Int, name: (T) -> String, lookup: (String) -> T?) -> [T] {
        let first = Array(picked.prefix(k))
        let limit = Self.share(of: k)
        guard limit > 0, !uses.isEmpty else { return first }
        var names = Set(first.map(name))
        var carried: [T] = []
        for use in uses where carried.count < limit && !names.contains(use.tool) {
            guard let tool = lookup(use.tool) else { continue }
            carried.append(tool)
            names.insert(use.tool)
        }
        return Array(first.prefix(k - carried.count)) + carried
    }
}
