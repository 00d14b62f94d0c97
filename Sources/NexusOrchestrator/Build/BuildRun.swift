import NexusCore
import NexusEvolution
import NexusModules
import NexusPOSIX
import NexusStore
import NexusVault
import Synchronization

/// One module build as a turn: plan → generate → validate → repair (n/N) → proof → approval → install →
/// credentials → live_test (issue 14), each a pipeline node with its latency. Records the build as it
/// goes; ends with the installed module's summary, or throws (`BuildFailure`, `InstallError.notApproved`,
/// cancellation) with nothing installed.
struct BuildRun {
    let arguments: BuildArguments
    let setup: BuildSetup
    let model: @Sendable (String) -> any BuildModel
    let approval: any ApprovalHandler
    let interaction: any InteractionHandler
    let stages: PipelineNodeTimer
    let repository: BuildRepository
    let session: String
    let maxRepairs: Int
    let environment: [String: String]
    let scrub: @Sendable (String) -> String

    /// Filled as the build goes, so its record can be finished on any path.
    final class State: Sendable {
        private let value = Mutex<(workspace: BuildWorkspace?, attempts: [BuildAttempt])>((nil, []))
        private let module = Mutex<(name: String, sha256: String)?>(nil)
        var workspace: BuildWorkspace? {
            get { value.withLock { $0.workspace } }
            set { value.withLock { $0.workspace = newValue } }
        }
        /// The module the proof named, once there is one: a denied build still says what it built.
        var proven: (name: String, sha256: String)? {
            get { module.withLock { $0 } }
            set { module.withLock { $0 = newValue } }
        }
        var attempts: [BuildAttempt] { value.withLock { $0.attempts } }
        func append(_ a: BuildAttempt) { value.withLock { $0.attempts.append(a) } }
    }
    let state = State()

    var bus: EventBus { stages.bus }
    var turn: Int { stages.turn }

    /// How a build that installed its module ended: the summary, and for a failed live test the error and
    /// the way out (the turn then ends as an error, exit 1, as `modules builds` says "degraded").
    struct Finished: Sendable {
        var text: String
        var degraded: (message: String, nextStep: String)?
    }

    func run() async throws -> Finished {
        let planned = try await stages.run(
            PlanStage(
                setup: setup, repository: repository, session: session, environment: environment, scrub: scrub),
            arguments)
        let (template, docs, secrets, workspace) = (planned.template, planned.docs, planned.secrets, planned.workspace)
        state.workspace = workspace
        stages.notice("build \(workspace.id): each attempt's files are kept under \(workspace.root)")
        let loop = BuildLoop(
            model: model(workspace.id), gate: setup.gate, workspace: workspace, template: template,
            maxRepairs: maxRepairs, stages: stages)
        let repository = self.repository
        let state = self.state
        let bus = self.bus
        let turn = self.turn
        let result = try await loop.run(description: arguments.description, name: arguments.name, docs: docs) { a in
            state.append(a)
            do { try repository.addAttempt(build: workspace.id, Self.row(a)) } catch {
                bus.publish(turn: turn, .notice("build record: \(error.userFacingDescription)"))
            }
        }
        guard let passed = result.passed, let files = result.files, let folder = passed.folder else {
            throw BuildFailure(buildID: workspace.id, folder: workspace.root, attempts: result.attempts)
        }
        let installer = setup.modules.installer
        let (plan, proof) = try await stages.run(.proof, detail: { "sha256 \($0.1.sha256.prefix(12))…" }) {
            try await makeProof(folder: folder, files: files, passed: passed, workspace: workspace, template: template)
        }
        state.proven = (plan.manifest.name, proof.sha256)
        var request = installer.approvalRequest(for: plan)
        request.title = "Install module \(plan.manifest.name), built and proven by NEXUS?"
        request.details += proof.details.filter { !["may reach", "asks for"].contains($0.label) }
        request.proof = proof.json
        let decision = try await stages.run(ApprovalStage(approval: approval), request)
        ModuleAudit.recordDecision(
            decision, request: request, module: plan.manifest.name, database: installer.registry.database, bus: nil)
        guard decision.granted else {
            installer.discard(plan)
            throw InstallError.notApproved(name: plan.manifest.name)
        }
        // Ctrl-C after the yes: nothing is installed, and the staged copy goes.
        if Task.isCancelled {
            installer.discard(plan)
            throw CancellationError()
        }
        let record = try await stages.run(InstallStage(modules: setup.modules), plan)
        let manifest = plan.manifest
        let stored = try await stages.run(
            CredentialsStage(setup: setup, interaction: interaction, bus: bus, turn: turn),
            .init(manifest: manifest, given: secrets))
        let missing = stored.missing
        let live = try await stages.run(
            LiveTestStage(setup: setup, approval: approval, scrub: scrub, bus: bus, turn: turn),
            .init(manifest: manifest, store: stored.store, missing: missing))
        var lines = [
            "\(plan.previous == nil ? "Installed" : plan.isReinstall ? "Reinstalled" : "Upgraded") module \(record.name) \(record.version) "
                + "(sha256 \(record.sha256.prefix(16))…) at \(record.path).",
            "Build \(workspace.id): \(result.attempts.count) attempt\(result.attempts.count == 1 ? "" : "s"), "
                + "\(proof.tokensIn + proof.tokensOut) tokens, \(Money.dollars(proof.costUSD, decimals: 4)).",
        ]
        for c in missing {
            lines.append(
                "Credential \(c.name) (\(c.env)) not set: nexus creds set \(record.name) \(c.name)"
                    + (c.instructions.map { " — \($0)" } ?? ""))
        }
        lines.append(live.message)
        let outcome = live.degraded ? "degraded" : "installed"
        finish(
            outcome, module: record.name, sha256: record.sha256, error: live.degraded ? live.message : nil, proof: proof
        )
        let problem =
            live.degraded
            ? ("module \(record.name) is installed but degraded: its live test failed", live.nextStep ?? "") : nil
        return Finished(text: lines.joined(separator: "\n"), degraded: problem)
    }

    /// Ends the build's record (also for failures, denials and cancellations).
    func finish(_ outcome: String, module: String?, sha256: String?, error: String?, proof: BuildProof? = nil) {
        guard let ws = state.workspace else { return }
        let totals = proof.map { (0, $0.tokensIn, $0.tokensOut, $0.costUSD) } ?? ledgerTotalsNow(ws.id)
        do {
            try repository.finish(
                id: ws.id, outcome: outcome, module: module, sha256: sha256, lastError: error.map(scrub),
                tokensIn: totals.1,
                tokensOut: totals.2, costUSD: totals.3)
        } catch {
            bus.publish(turn: turn, .notice("build record: \(error.userFacingDescription)"))
        }
    }

    func ledgerTotalsNow(_ id: String) -> (Int, Int, Int, Double) {
        // Display only: totals that cannot be read show as zero (the ledger writer reports failed writes).
        (try? repository.ledgerTotals(build: id)).map { ($0.calls, $0.tokensIn, $0.tokensOut, $0.costUSD) } ?? (
            0, 0, 0, 0
        )
    }

    static func row(_ a: BuildAttempt) -> BuildRepository.Attempt {
        let ref = ModelRef(parsing: a.model)
        let timings: JSONValue = .array(
            (a.report?.checks ?? []).map {
                .object(
                    JSONObject([
                        ("name", .string($0.name)),
                        ("result", .string($0.skipped ? "skipped" : $0.passed ? "pass" : "fail")),
                        ("seconds", .number($0.seconds)),
                    ]))
            })
        return BuildRepository.Attempt(
            number: a.number, stage: a.stage.rawValue, provider: ref?.provider ?? "", model: ref?.model ?? a.model,
            passed: a.passed, failureCategory: a.failureCategory, failedCheck: a.failedCheck, error: a.error,
            diffLines: a.diffLines, checkTimings: timings, tokensIn: a.tokensIn, tokensOut: a.tokensOut,
            seconds: a.seconds)
    }
}
