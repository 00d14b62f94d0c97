import NexusCore

/// Failure learning into versioned templates: after a run, the lessons its repaired rounds gave (sanitised,
/// deduplicated) are added to the adopted version's as a candidate version, and the candidate is tried on a
/// regression set — the challenges the lessons came from, then challenges the parent solved, at most `trialCap` —
/// each of which the parent has a recorded result for. It is adopted only when it does at least as well: more
/// solved, or as many with no more repairs. Trial rounds are recorded like any other (with the candidate's label).
public struct EvolveLearning: Sendable {
    public var templates: EvolvedTemplates
    /// The repository's `templates/python` (version 0).
    public var base: BuildTemplate
    public var trialCap: Int

    public init(templates: EvolvedTemplates, base: BuildTemplate, trialCap: Int = 4) {
        self.templates = templates
        self.base = base
        self.trialCap = trialCap
    }

    /// What a learning step did.
    public struct Outcome: Sendable, Equatable {
        public var version: EvolvedTemplates.Version
        public var adopted: Bool
    }

    /// The regression set for a candidate whose lessons came from `sources`, with the parent's score on it, from
    /// the record's rows labelled `parentLabel` (the latest counted row per scenario and level).
    public static func regressionSet(
        sources: [EvolveAttempt], record: [EvolveAttempt], parentLabel: String, cap: Int
    ) -> (challenges: [EvolveChallenge], parent: EvolvedTemplates.Score) {
        var latest: [String: EvolveAttempt] = [:]
        for a in record where a.counts && a.templateVersion == parentLabel { latest["\(a.scenario)#\(a.level)"] = a }
        var keys: [String] = []
        for a in sources where a.templateVersion == parentLabel {
            let k = "\(a.scenario)#\(a.level)"
            if latest[k] != nil && !keys.contains(k) { keys.append(k) }
        }
        for k in latest.keys.sorted() where latest[k]?.outcome == .solved && !keys.contains(k) { keys.append(k) }
        let chosen = keys.prefix(max(1, cap)).compactMap { latest[$0] }
        let score = EvolvedTemplates.Score(
            solved: chosen.filter { $0.outcome == .solved }.count, total: chosen.count,
            repairs: chosen.reduce(0) { $0 + $1.repairs })
        return (chosen.map { EvolveChallenge(scenario: $0.scenario, level: $0.level, reason: "template trial") }, score)
    }

    /// Makes and tries a candidate from the lessons of `run`; nil when they add nothing to the adopted version's.
    /// `spent` gets each trial round's cost as it ends: the run's budget counts the trial like any other round.
    public func learn(
        from run: [EvolveAttempt], record: EvolveRecord, executor: EvolveExecutor, runID: String,
        spent: @escaping @Sendable (Double) -> Void = { _ in }, say: @escaping @Sendable (String) -> Void
    ) async throws -> Outcome? {
        let sources = run.filter { $0.lesson != nil }
        guard !sources.isEmpty else { return nil }
        let parentNumber = try templates.adopted()
        let parentLessons = parentNumber == 0 ? [] : try templates.load(parentNumber).lessons
        let merged = EvolveLesson.merged(parentLessons + sources.compactMap(\.lesson))
        guard merged.count > parentLessons.count else {
            say("template: no new lessons (the adopted version has them)")
            return nil
        }
        let parentLabel = EvolvedTemplates.label(base: base.version, number: parentNumber)
        var version = try templates.create(
            parent: parentNumber, baseVersion: base.version, lessons: merged, attempts: sources.map(\.id),
            model: sources.first?.model ?? "-")
        let label = EvolvedTemplates.label(base: base.version, number: version.number)
        let (challenges, parentScore) = Self.regressionSet(
            sources: sources, record: try record.all(), parentLabel: parentLabel, cap: trialCap)
        version.parentScore = parentScore
        say(
            "template \(label): \(merged.count - parentLessons.count) new lesson(s) over \(parentLabel); "
                + "trying it on \(challenges.count) challenge(s)")
        var trial = executor
        trial.template = try templates.template(version.number, base: base)
        trial.learn = false
        var solved = 0
        var repairs = 0
        for c in challenges {
            let a = await trial.run(c, runID: runID, onAttempt: { say("  " + $0.summary) })
            var stored = a
            stored.id = try record.add(a)
            spent(a.costUSD)
            say("  trial \(c.scenario) level \(c.level): " + EvolveLoop.line(stored))
            guard a.counts else {
                version.decision = "interrupted"
                try templates.save(version)
                say("template \(label): not adopted (its trial did not finish); builds keep \(parentLabel)")
                return Outcome(version: version, adopted: false)
            }
            if a.outcome == .solved { solved += 1 }
            repairs += a.repairs
        }
        let score = EvolvedTemplates.Score(solved: solved, total: challenges.count, repairs: repairs)
        version.trial = score
        let adopt = score.atLeastAsGood(as: parentScore)
        version.decision = adopt ? "adopted" : "rejected"
        try templates.save(version)
        let scores =
            "solved \(score.solved)/\(score.total) with \(score.repairs) repair(s); \(parentLabel): "
            + "\(parentScore.solved)/\(parentScore.total) with \(parentScore.repairs)"
        if adopt {
            try templates.adopt(version.number)
            say("template \(label): adopted (\(scores)); builds now use it")
        } else {
            say("template \(label): not adopted (\(scores)); builds keep \(parentLabel)")
        }
        return Outcome(version: version, adopted: adopt)
    }
}
