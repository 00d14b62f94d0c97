/// How builds fare, summarised from the evolve record: per scenario (rounds, solved, the level reached, the
/// trailing run of failures) and per failure category (rounds that hit it, how many of those a repair
/// saved). The curriculum chooses from these and `nexus evolve status` shows them.
public struct EvolveStanding: Sendable, Equatable {
    /// One scenario's standing.
    public struct Scenario: Sendable, Equatable {
        public var scenario: String
        public var rounds = 0
        public var solved = 0
        public var failed = 0
        /// Interrupted or errored rounds: shown, never held against the scenario.
        public var stopped = 0
        /// The highest level whose latest counted round was solved (0: none). A regression check that fails
        /// brings it back down, so the scenario is open again.
        public var level = 0
        /// Counted rounds at the level to solve next that failed, since the last one that did not.
        public var failStreak = 0
        /// The latest counted round's outcome and level, and its row id (0: never).
        public var last: EvolveAttempt.Outcome?
        public var lastLevel = 0
        public var lastID: Int64 = 0
        /// Categories of this scenario's failed attempts.
        public var categories: Set<String> = []
        /// Repairs used by solved rounds, summed (fewer per solve is better).
        public var repairsOnSolved = 0
        public var costUSD = 0.0
        public var templateVersion = ""

        public init(scenario: String) { self.scenario = scenario }

        /// Solved at every level: only revisited as a regression check.
        public var mastered: Bool { level >= EvolveChallenge.maxLevel }
        /// The level a new challenge on it asks.
        public var nextLevel: Int { min(EvolveChallenge.maxLevel, level + 1) }
    }

    /// One failure category's standing.
    public struct Category: Sendable, Equatable {
        public var category: String
        /// Failed attempts in this category.
        public var attempts = 0
        /// Counted rounds that failed at least once in it.
        public var rounds = 0
        /// Of those, the ones that ended solved (a repair got past it).
        public var repaired = 0
        public init(category: String) { self.category = category }
        public var fixRate: Double { rounds == 0 ? 1 : Double(repaired) / Double(rounds) }
    }

    public var scenarios: [String: Scenario] = [:]
    public var categories: [String: Category] = [:]
    public var costUSD = 0.0
    public var rounds = 0

    public init(_ record: [EvolveAttempt]) {
        var latestAt: [String: [Int: EvolveAttempt.Outcome]] = [:]
        for a in record {
            rounds += 1
            costUSD += a.costUSD
            var s = scenarios[a.scenario] ?? Scenario(scenario: a.scenario)
            s.rounds += 1
            s.costUSD += a.costUSD
            s.templateVersion = a.templateVersion
            guard a.counts else {
                s.stopped += 1
                scenarios[a.scenario] = s
                continue
            }
            let nextBefore = s.nextLevel
            if a.outcome == .solved {
                s.solved += 1
                s.repairsOnSolved += a.repairs
            } else {
                s.failed += 1
            }
            latestAt[a.scenario, default: [:]][a.level] = a.outcome
            let levels = latestAt[a.scenario] ?? [:]
            s.level = (1...EvolveChallenge.maxLevel).reduce(0) { reached, l in
                reached == l - 1 && levels[l] == .solved ? l : reached
            }
            // The streak counts failures at the level being worked on; a solve or a new level starts it again.
            if a.outcome == .failed && a.level == nextBefore && s.nextLevel == nextBefore {
                s.failStreak += 1
            } else if a.outcome == .solved || s.nextLevel != nextBefore {
                s.failStreak = 0
            }
            s.last = a.outcome
            s.lastLevel = a.level
            s.lastID = a.id
            s.categories.formUnion(a.failures)
            scenarios[a.scenario] = s
            for c in Set(a.failures) {
                var k = categories[c] ?? Category(category: c)
                k.rounds += 1
                if a.outcome == .solved { k.repaired += 1 }
                categories[c] = k
            }
            for c in a.failures { categories[c]?.attempts += 1 }
        }
    }

    /// The category builds get past least often: the lowest fix rate, then the most rounds, then by name. A
    /// category every repair got past is not weak: nil when there is no other.
    public var weakestCategory: String? {
        categories.values.filter { $0.rounds > 0 && $0.repaired < $0.rounds }
            .sorted {
                ($0.fixRate, -$0.rounds, $0.category) < ($1.fixRate, -$1.rounds, $1.category)
            }
            .first?.category
    }
}
