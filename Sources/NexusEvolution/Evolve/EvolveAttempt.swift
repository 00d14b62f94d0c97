import NexusCore

/// One `nexus evolve` round as the record keeps it (`evolve_attempts`): which challenge, which template version
/// and model, how it ended, the failure category of each failed attempt in order, the repairs used, the time and
/// the cost. The curriculum and `nexus evolve status` read nothing else.
public struct EvolveAttempt: Sendable, Equatable {
    /// How a round ended.
    public enum Outcome: String, Sendable, CaseIterable {
        /// An attempt passed the whole gate, the scenario's acceptance checks included.
        case solved
        /// Every attempt failed a check.
        case failed
        /// Stopped by Ctrl-C or the budget before it ended: says nothing about the module.
        case interrupted
        /// Stopped by an error of its own (no model, a provider down): says nothing about the module.
        case error
    }

    /// The row id (0 before it is recorded).
    public var id: Int64
    public var runID: String
    public var scenario: String
    public var level: Int
    public var templateVersion: String
    /// `provider:model` of the first call, or `-` when no call was made.
    public var model: String
    public var outcome: Outcome
    /// The category of each failed attempt, in order (`syntax`, `contract`, `output` for a refused reply...).
    public var failures: [String]
    public var repairs: Int
    public var seconds: Double
    public var costUSD: Double
    public var tokensIn: Int
    public var tokensOut: Int
    /// The folder's id under `$NEXUS_HOME/evolve/builds/`.
    public var buildID: String
    public var error: String?
    /// The lesson the model gave after a repair fixed a failed check, sanitised (`EvolveLesson`), if any.
    public var lesson: String?
    public var startedAt: Double

    public init(
        id: Int64 = 0, runID: String, scenario: String, level: Int, templateVersion: String, model: String,
        outcome: Outcome, failures: [String], repairs: Int, seconds: Double, costUSD: Double, tokensIn: Int = 0,
        tokensOut: Int = 0, buildID: String, error: String? = nil, lesson: String? = nil, startedAt: Double
    ) {
        self.id = id
        self.runID = runID
        self.scenario = scenario
        self.level = level
        self.templateVersion = templateVersion
        self.model = model
        self.outcome = outcome
        self.failures = failures
        self.repairs = repairs
        self.seconds = seconds
        self.costUSD = costUSD
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.buildID = buildID
        self.error = error
        self.lesson = lesson
        self.startedAt = startedAt
    }

    /// Whether the round says something about how builds fare (interrupted and errored rounds do not).
    public var counts: Bool { outcome == .solved || outcome == .failed }

    /// The failure categories a record may hold: the gate's, `output` (a refused reply) and `name`.
    public static let knownCategories: Set<String> = Set(FailureCategory.allCases.map(\.rawValue)).union(["output"])
}
