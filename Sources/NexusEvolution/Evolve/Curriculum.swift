/// Picks the next challenge from the evolve record, deterministically (the same record and farm always give
/// the same choice, so it is specified in process):
///
/// 1. Every fifth round of the record is a regression check when a scenario is mastered: the mastered one
///    checked longest ago, at the top level.
/// 2. Otherwise an open scenario (not solved at every level), at the level after the one it solved:
///    those that failed in the weakest failure category first, then those that failed last time (most recent
///    first), then those never tried, then those that moved up a level (by name).
///    A scenario that failed three rounds running at its level is stuck: it waits until the others had a turn
///    (stuck ones in turn, longest ago first).
/// 3. With nothing open, a regression check on a mastered scenario.
public enum Curriculum {
    /// Rounds that failed running at one level before a scenario yields its turn.
    public static let stuckAfter = 3
    /// Every this-many-th round of the record is a regression check (when a scenario is mastered).
    public static let regressionEvery = 5

    /// The next challenge among `scenarios` (the farm's), or nil when there are none.
    public static func next(scenarios: [String], record: [EvolveAttempt]) -> EvolveChallenge? {
        guard !scenarios.isEmpty else { return nil }
        let standing = EvolveStanding(record)
        let all = scenarios.sorted().map { standing.scenarios[$0] ?? EvolveStanding.Scenario(scenario: $0) }
        let mastered = all.filter(\.mastered).sorted { ($0.lastID, $0.scenario) < ($1.lastID, $1.scenario) }
        let open = all.filter { !$0.mastered }
        if (record.count + 1) % regressionEvery == 0, let r = mastered.first {
            return EvolveChallenge(scenario: r.scenario, level: EvolveChallenge.maxLevel, reason: "regression check")
        }
        let weakest = standing.weakestCategory
        let active = open.filter { $0.failStreak < stuckAfter }
        if let pick = active.min(by: { rank($0, weakest) < rank($1, weakest) }) {
            return EvolveChallenge(scenario: pick.scenario, level: pick.nextLevel, reason: reason(pick, weakest))
        }
        let stuck = open.sorted { ($0.lastID, $0.scenario) < ($1.lastID, $1.scenario) }
        if let pick = stuck.first {
            return EvolveChallenge(
                scenario: pick.scenario, level: pick.nextLevel, reason: "stuck, \(pick.failStreak) failures running")
        }
        return mastered.first.map {
            EvolveChallenge(scenario: $0.scenario, level: EvolveChallenge.maxLevel, reason: "regression check")
        }
    }

    /// Lower is sooner: (weakest category, how it last went, recency, name).
    static func rank(_ s: EvolveStanding.Scenario, _ weakest: String?) -> (Int, Int, Int64, String) {
        let inWeakest = weakest.map { s.categories.contains($0) } == true ? 0 : 1
        let failedLast = s.last == .failed && s.lastLevel == s.nextLevel
        let how = failedLast ? 0 : s.last == nil ? 1 : 2
        return (inWeakest, how, failedLast ? -s.lastID : 0, s.scenario)
    }

    static func reason(_ s: EvolveStanding.Scenario, _ weakest: String?) -> String {
        var why: [String] = []
        if let weakest, s.categories.contains(weakest) { why.append("fails in the weakest category, \(weakest)") }
        if s.last == .failed && s.lastLevel == s.nextLevel {
            why.append("failed last time")
        } else if s.last == nil {
            why.append("never tried")
        } else {
            why.append("solved level \(s.level), next level")
        }
        return why.joined(separator: "; ")
    }
}
