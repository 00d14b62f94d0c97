import NexusCore
import NexusModules
import NexusPOSIX

/// `nexus evolve`: the co-evolution loop a person starts. Each round asks the curriculum for the next
/// challenge (from the record), runs it through the executor (the model-written build loop, in the sandbox,
/// nothing installed), records how it went, and says so with the cost so far. It stops after `rounds`, at the
/// budget (checked before every model call), or at Ctrl-C (the round under way is recorded as interrupted).
public struct EvolveLoop: Sendable {
    public var executor: EvolveExecutor
    public var record: EvolveRecord
    /// The farm's scenarios the curriculum chooses from (one with `--scenario`).
    public var scenarios: [String]
    public var rounds: Int
    public var budget: EvolveBudget
    /// Build folders kept under the builds directory (the newest rounds'); older ones are pruned.
    public var keepFolders: Int
    /// Folds the run's lessons into a candidate template version and tries it (nil: no learning).
    public var learning: EvolveLearning?

    public init(
        executor: EvolveExecutor, record: EvolveRecord, scenarios: [String], rounds: Int, budget: EvolveBudget,
        keepFolders: Int = 20, learning: EvolveLearning? = nil
    ) {
        self.executor = executor
        self.record = record
        self.scenarios = scenarios
        self.rounds = rounds
        self.budget = budget
        self.keepFolders = keepFolders
        self.learning = learning
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var attempts: [EvolveAttempt] = []
        /// Why it stopped before its rounds were done (Ctrl-C, the budget), or nil.
        public var stoppedEarly: String?
        /// Stopped by Ctrl-C (not by the budget or the rounds running out).
        public var interrupted = false
        /// Stopped by a round's own error (no model, a provider down).
        public var failed = false
        /// The candidate template version the run's lessons made, and whether it was adopted.
        public var learned: EvolveLearning.Outcome?
        /// What the whole run cost: its rounds and the candidate's trial rounds (which `attempts` does not hold).
        public var spentUSD = 0.0
    }

    /// Runs the rounds; `say` gets each line of progress. Throws only when the record cannot be read or written.
    public func run(runID: String, say: @escaping @Sendable (String) -> Void) async throws -> Summary {
        var summary = Summary()
        var executor = self.executor
        let inner = executor.model
        let ledger = executor.ledger
        let budget = self.budget
        executor.model = { id in
            budget.guarding(try await inner(id), current: { ledger(id).costUSD }, ledgerCalls: { ledger(id).calls })
        }
        for n in 1...max(1, rounds) {
            if Task.isCancelled {
                summary.stoppedEarly = "interrupted (Ctrl-C)"
                summary.interrupted = true
                break
            }
            if budget.reached {
                summary.stoppedEarly =
                    EvolveBudgetReached(spentUSD: budget.spentUSD, limitUSD: budget.limitUSD)
                    .userMessage
                break
            }
            guard let challenge = Curriculum.next(scenarios: scenarios, record: try record.all()) else {
                summary.stoppedEarly = "no farm scenario to challenge"
                break
            }
            say(
                "round \(n)/\(rounds): \(challenge.scenario), level \(challenge.level) "
                    + "(\(EvolveChallenge.levelName(challenge.level))) — \(challenge.reason)")
            let attempt = await executor.run(
                challenge, runID: runID, onAttempt: { a in say("  " + a.summary) }, onNotice: { say("  " + $0) })
            var stored = attempt
            stored.id = try record.add(attempt)
            summary.attempts.append(stored)
            budget.add(attempt.costUSD)
            say(
                "  " + Self.line(attempt) + "; spent \(Money.dollars(budget.spentUSD, decimals: 4)) of "
                    + Money.dollars(budget.limitUSD, decimals: 2))
            if let lesson = attempt.lesson { say("  lesson: \(lesson)") }
            prune()
            if attempt.outcome == .interrupted {
                summary.stoppedEarly = attempt.error ?? "interrupted"
                summary.interrupted = Task.isCancelled
                break
            }
            // No model, a provider down: the next round would stop the same way.
            if attempt.outcome == .error {
                summary.stoppedEarly = Self.firstLine(attempt.error ?? "error")
                summary.failed = true
                break
            }
        }
        // Lessons are folded in only after rounds that ran to their end: an interrupted run (or one at the budget)
        // has no money or time left for the trial.
        if let learning, !summary.interrupted, !summary.failed, !budget.reached {
            summary.learned = try await learning.learn(
                from: summary.attempts, record: record, executor: executor, runID: runID, spent: { budget.add($0) },
                say: say)
            summary.interrupted = Task.isCancelled
            prune()
        }
        summary.spentUSD = budget.spentUSD
        return summary
    }

    /// `solved after 1 repair in 12.3 s, $0.0012` and the like.
    static func line(_ a: EvolveAttempt) -> String {
        let repairs = "\(a.repairs) repair\(a.repairs == 1 ? "" : "s")"
        let how: String
        switch a.outcome {
        case .solved: how = "solved" + (a.repairs > 0 ? " after \(repairs)" : " at the first attempt")
        case .failed: how = "failed (\(a.failures.joined(separator: ", ")))"
        case .interrupted: how = "interrupted"
        case .error: how = "stopped: " + firstLine(a.error ?? "error")
        }
        let seconds = String(Int(a.seconds * 10) / 10) + "." + String(Int(a.seconds * 10) % 10)
        return how + " in \(seconds) s, \(Money.dollars(a.costUSD, decimals: 4)) (build \(a.buildID))"
    }

    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
    }

    /// Removes the build folders of all but the newest `keepFolders` recorded rounds (only folders named like a
    /// build id). A folder the record does not name is left alone: it may be the round another `nexus evolve` has
    /// under way (its row is written when it ends), and deleting it would pull its files from under its gate.
    func prune() {
        // Pruning is housekeeping: a record that cannot be read leaves every folder in place.
        guard let rows = try? record.all() else { return }
        let keep = Set(rows.suffix(keepFolders).map(\.buildID))
        let recorded = Set(rows.map(\.buildID))
        for name in FileSystem.list(executor.buildsDirectory)
        where recorded.contains(name) && !keep.contains(name) && name.count == 8 && name.allSatisfy(\.isHexDigit) {
            ModuleFiles.removeTree(executor.buildsDirectory + "/" + name)
        }
    }
}
