import NexusCore

/// What a face (TUI, line REPL, HTTP server) may ask of the kernel: nothing more.
///
/// Faces render `bus` events and call these methods; they never reach a provider or a module directly
/// (DESIGN §2.3). Tests drive a scripted conformer; the real one is `Orchestrator`.
public protocol AgentSession: Sendable {
    var bus: EventBus { get }
    /// Runs one line of input: a slash command or a chat turn. Returns when the turn is over; its
    /// output arrives on `bus` (`.commandOutput` for slash commands, tokens and `.final` for turns).
    func submit(_ line: String) async -> SubmitOutcome
    /// Cancels the running turn (Ctrl-C): the in-flight model call or tool call stops; the session goes on.
    func cancelCurrentTurn()
    /// Slash command names and one-line summaries, for `/help` and Tab completion.
    func completions(for prefix: String) -> [Completion]
    /// A consistent picture for status lines and side panes.
    func status() async -> StatusSnapshot
}

/// What happened to one submitted line, for the face to act on.
public enum SubmitOutcome: Sendable, Equatable {
    case done
    case failed(ExitStatus)
    case cancelled
    /// `/quit`: the face should exit.
    case quit
    /// `/clear`: the conversation context was reset; a face may also clear its screen.
    case cleared
    /// Approval was needed but not given in a scripted run (exit 3).
    case approvalDenied
}

/// One Tab completion candidate.
public struct Completion: Sendable, Equatable {
    public var text: String
    public var summary: String
    public init(text: String, summary: String) {
        self.text = text
        self.summary = summary
    }
}

/// The state the status line and the side panes show, read in one go.
public struct StatusSnapshot: Sendable, Equatable {
    public struct ProviderStatus: Sendable, Equatable {
        public var name: String
        public var kind: String
        public var isLocal: Bool
        /// nil = not checked yet.
        public var reachable: Bool?
        public init(name: String, kind: String, isLocal: Bool, reachable: Bool?) {
            self.name = name
            self.kind = kind
            self.isLocal = isLocal
            self.reachable = reachable
        }
    }
    public struct ModuleRow: Sendable, Equatable {
        public var name: String
        public var health: ModuleHealth
        public var calls: Int
        public var errorRate: Double
        public var p50LatencyMs: Double?
        public var lastError: String?
        public init(
            name: String, health: ModuleHealth, calls: Int, errorRate: Double, p50LatencyMs: Double?,
            lastError: String?
        ) {
            self.name = name
            self.health = health
            self.calls = calls
            self.errorRate = errorRate
            self.p50LatencyMs = p50LatencyMs
            self.lastError = lastError
        }
    }
    public struct CostRow: Sendable, Equatable {
        /// A provider name or a task type.
        public var key: String
        public var tokensIn: Int
        public var tokensOut: Int
        public var costUSD: Double
        /// Some of the tokens were estimated: the server reported none (llama.cpp while streaming).
        public var estimated: Bool
        public init(key: String, tokensIn: Int, tokensOut: Int, costUSD: Double, estimated: Bool = false) {
            self.key = key
            self.tokensIn = tokensIn
            self.tokensOut = tokensOut
            self.costUSD = costUSD
            self.estimated = estimated
        }
    }

    public var providers: [ProviderStatus] = []
    public var modules: [ModuleRow] = []
    public var privacy: PrivacyMode = .open
    /// "A", "B", "C" or nil when not probed.
    public var sandboxTier: String?
    public var sessionByProvider: [CostRow] = []
    public var sessionByTask: [CostRow] = []
    public var allTimeByProvider: [CostRow] = []
    public var allTimeByTask: [CostRow] = []
    /// This session's spending by module context (issue 16; all time is in `/cost`: the roll-up the
    /// snapshot reads has no module column, and a scan of every call would cost the 2-second snapshot).
    public var sessionByModule: [CostRow] = []
    /// Spending against the tightest cap of `[budget]` ("$0.12/$1.00 today"); nil with no cap.
    public var budget: String?
    /// task type → model chain, as routing stands now.
    public var routing: [(String, String)] = []

    public init() {}

    public static func == (a: StatusSnapshot, b: StatusSnapshot) -> Bool {
        a.providers == b.providers && a.modules == b.modules && a.privacy == b.privacy
            && a.sandboxTier == b.sandboxTier && a.sessionByProvider == b.sessionByProvider
            && a.sessionByTask == b.sessionByTask && a.allTimeByProvider == b.allTimeByProvider
            && a.allTimeByTask == b.allTimeByTask && a.routing.elementsEqual(b.routing, by: { $0 == $1 })
            && a.sessionByModule == b.sessionByModule && a.budget == b.budget
    }
}
