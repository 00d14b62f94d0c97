import NexusCore
import NexusModules
import NexusPOSIX
import Synchronization

/// Runs one challenge through the existing model-written build loop (generate → gate, the scenario's contract
/// check included → repair, at most `maxRepairs`) in a folder of its own under `$NEXUS_HOME/evolve/builds/`, and
/// says how it went as an `EvolveAttempt`. A module built here is never installed and never offered for approval:
/// its folder is kept for inspection until the loop prunes it.
public struct EvolveExecutor: Sendable {
    public var farm: String
    public var template: BuildTemplate
    public var buildsDirectory: String
    public var maxRepairs: Int
    /// The build route's model calls for one round (tagged with its build id, so the ledger has its cost).
    public var model: @Sendable (_ buildID: String) async throws -> any BuildModel
    /// The gate with the scenario's contract check (the farm server started, the checks made as tool calls).
    public var gate: @Sendable (_ scenario: String, _ folder: String) async throws -> GateReport
    /// The ledger's calls, tokens and cost for a build id.
    public var ledger: @Sendable (_ buildID: String) -> (calls: Int, tokensIn: Int, tokensOut: Int, costUSD: Double)
    public var stages: PipelineNodeTimer
    /// Whether a round that a repair saved asks the model for a lesson (not during a template's trial).
    public var learn = true

    public init(
        farm: String, template: BuildTemplate, buildsDirectory: String, maxRepairs: Int,
        model: @escaping @Sendable (String) async throws -> any BuildModel,
        gate: @escaping @Sendable (String, String) async throws -> GateReport,
        ledger: @escaping @Sendable (String) -> (calls: Int, tokensIn: Int, tokensOut: Int, costUSD: Double),
        stages: PipelineNodeTimer
    ) {
        self.farm = farm
        self.template = template
        self.buildsDirectory = buildsDirectory
        self.maxRepairs = maxRepairs
        self.model = model
        self.gate = gate
        self.ledger = ledger
        self.stages = stages
    }

    /// The attempts of a round as they end.
    final class Attempts: Sendable {
        private let value = Mutex<[BuildAttempt]>([])
        func append(_ a: BuildAttempt) { value.withLock { $0.append(a) } }
        var all: [BuildAttempt] { value.withLock { $0 } }
    }

    /// Runs `challenge`; never throws: how it ended is the attempt's outcome (Ctrl-C and the budget: interrupted).
    public func run(
        _ challenge: EvolveChallenge, runID: String, onAttempt: @escaping @Sendable (BuildAttempt) -> Void = { _ in },
        onNotice: @escaping @Sendable (String) -> Void = { _ in }
    ) async -> EvolveAttempt {
        let started = MonotonicClock.nanoseconds()
        let startedAt = WallClock.now()
        let seen = Attempts()
        var buildID = "-"
        var outcome = EvolveAttempt.Outcome.failed
        var problem: String?
        var lesson: String?
        var lessonCalls = 0
        do {
            let brief = try challenge.brief(farm: farm)
            let workspace = try BuildWorkspace.create(buildsDirectory: buildsDirectory)
            buildID = workspace.id
            let scenario = challenge.scenario
            let gate = self.gate
            let model = try await self.model(workspace.id)
            let loop = BuildLoop(
                model: model, gate: { folder in try await gate(scenario, folder) },
                workspace: workspace, template: template, maxRepairs: maxRepairs, stages: stages)
            let result = try await loop.run(description: brief.request, name: brief.name, docs: brief.docs) { a in
                seen.append(a)
                onAttempt(a)
            }
            outcome = result.passed == nil ? .failed : .solved
            if outcome == .failed { problem = result.attempts.last.map(\.summary) }
            if learn, outcome == .solved, let fixed = result.attempts.dropLast().last {
                lessonCalls = 1
                lesson = await askLesson(model, fixed: fixed, notice: onNotice)
            }
        } catch let e as EvolveBudgetReached {
            outcome = .interrupted
            problem = e.userMessage
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            outcome = cancelled ? .interrupted : .error
            problem = cancelled ? "interrupted (Ctrl-C)" : error.userFacingDescription
        }
        let attempts = seen.all
        let totals = await settledLedger(buildID, calls: attempts.count + lessonCalls)
        return EvolveAttempt(
            runID: runID, scenario: challenge.scenario, level: challenge.level, templateVersion: template.version,
            model: attempts.first?.model ?? "-", outcome: outcome,
            failures: attempts.compactMap(\.failureCategory), repairs: max(0, attempts.count - 1),
            seconds: MonotonicClock.millisSince(started) / 1000, costUSD: totals.costUSD, tokensIn: totals.tokensIn,
            tokensOut: totals.tokensOut, buildID: buildID, error: problem, lesson: lesson, startedAt: startedAt)
    }

    /// One call for a one-sentence lesson on what the repair of `fixed` taught; nil when the reply is refused
    /// (`EvolveLesson`) or the call fails (the round stays solved: a lesson is a bonus).
    func askLesson(_ model: any BuildModel, fixed: BuildAttempt, notice: @Sendable (String) -> Void) async -> String? {
        let prompt = EvolveLesson.prompt(category: fixed.failureCategory ?? "test", check: fixed.failedCheck ?? "?")
        let reply: BuildModelReply
        do {
            reply = try await model.complete(stage: .repair, system: "You write NEXUS modules.", prompt: prompt)
        } catch {
            notice("lesson: none (\(error.userFacingDescription))")
            return nil
        }
        guard !reply.truncated, let lesson = EvolveLesson.sanitise(reply.text) else {
            let why =
                EvolveLesson.refusal(reply.text)
                ?? "not one sentence of at most \(EvolveLesson.maxCharacters) characters"
            notice("lesson: refused (\(why))")
            return nil
        }
        return lesson
    }

    /// The ledger is written from the event bus: wait (briefly) until it holds the round's calls.
    func settledLedger(_ id: String, calls: Int) async -> (calls: Int, tokensIn: Int, tokensOut: Int, costUSD: Double) {
        var totals = ledger(id)
        for _ in 0..<40 where totals.calls < calls {
            // Cancelled (Ctrl-C): what the ledger holds now is what the round records.
            do { try await Task.sleep(for: .milliseconds(50)) } catch { break }
            totals = ledger(id)
        }
        return totals
    }
}
