import NexusCore
import NexusEvolution
import NexusModules
import NexusStore

/// Module builds as turns (issue 14): `/build ...` (and `nexus build ...`, which submits it) and a chat
/// turn classified `build_module` run `BuildRun`, whose stages light up the pipeline pane. `/builds`
/// lists past builds from the `builds` table.
extension Orchestrator {
    /// Registers `/build` and `/builds` and keeps what the build needs.
    public nonisolated func registerBuildCommands(_ setup: BuildSetup) throws {
        buildSlot.set(setup)
        try commands.register(
            SlashCommand(
                name: "build", summary: "Build a module from a description: generate, prove, approve, install",
                usage: BuildArguments.usage,
                completeArgument: { _ in
                    [
                        "--docs", "--name", "--credential", "--openapi", "--operations", "--base-url", "--no-model",
                        "--farm",
                    ]
                }
            ) { _ in
                // `submit` runs /build as a turn of its own before the registry is asked; this is for /help.
                SlashResult("type /build followed by what to build")
            })
        try commands.register(
            SlashCommand(
                name: "builds", summary: "Past module builds; /builds ID shows one in full", usage: "/builds [ID]"
            ) {
                [weak self] inv in
                guard let self else { return SlashResult("") }
                let repo = BuildRepository(db: self.context.database)
                if let id = inv.arguments.first { return SlashResult(try BuildHistoryText.show(repo, id: id)) }
                return SlashResult(try BuildHistoryText.list(repo))
            })
    }

    /// Whether `line` is `/build ...`, which runs as a build turn rather than a command.
    nonisolated func isBuildCommand(_ line: String) -> Bool {
        guard buildSlot.setup != nil else { return false }
        // A line that does not parse as a command is not /build.
        return (try? SlashCommandLine.parse(line))??.name.lowercased() == "build"
    }

    /// `/build ARGS` as a turn of its own.
    func runBuildCommand(_ line: String) async -> SubmitOutcome {
        let turn = nextTurn()
        let started = MonotonicClock.nanoseconds()
        bus.publish(turn: turn, .turnStarted(input: scrub(line)))
        let arguments: BuildArguments
        do {
            guard let parsed = try SlashCommandLine.parse(line) else { throw NexusError("not a command", exit: .usage) }
            arguments = try BuildArguments(parsing: parsed.arguments)
        } catch {
            return finishBuild(turn: turn, started: started, error: error)
        }
        return await runBuild(arguments, turn: turn, started: started)
    }

    /// A chat turn the classifier marked `build_module`: the whole input is the description. Nil when
    /// this session cannot build (the turn then goes on as chat).
    func buildFromChat(_ input: String, turn: Int, started: UInt64) async -> SubmitOutcome? {
        guard buildSlot.setup != nil else { return nil }
        return await runBuild(BuildArguments(description: input), turn: turn, started: started)
    }

    func runBuild(_ arguments: BuildArguments, turn: Int, started: UInt64) async -> SubmitOutcome {
        guard let setup = buildSlot.setup else {
            return finishBuild(
                turn: turn, started: started,
                error: NexusError(
                    "building modules is not available in this session", hint: "run nexus build from a shell"))
        }
        let stages = PipelineNodeTimer(bus: bus, turn: turn)
        let gateway = self.gateway
        let session = sessionID
        let maxTokens = max(8192, context.config.conversation.maxOutputTokens)
        let scrubber = scrub
        let privacy = self.privacy
        // --openapi: the deterministic generator stands in for the model (issue 15); spec errors end here, exit 2.
        let generated: OpenAPIBuildModel?
        if let request = arguments.openapi {
            do {
                let document = try await OpenAPISpecSource.document(request.spec)
                generated = try OpenAPIBuildModel(document: document, request, name: arguments.name)
            } catch {
                return finishBuild(turn: turn, started: started, error: error)
            }
            for note in generated?.files.notes.split(separator: "\n") ?? [] {
                bus.publish(turn: turn, .notice("openapi: \(note)"))
            }
        } else {
            generated = nil
        }
        let bus = self.bus
        let noModel = arguments.openapi?.noModel ?? true
        let run = BuildRun(
            arguments: arguments, setup: setup,
            model: { [self] id in
                let modelCalls = GatewayBuildModel(
                    gateway: gateway, chain: { task in try await self.selectChain(for: task, turn: turn) },
                    tier: { task in await self.routes.config.tier(for: task) }, turn: turn, session: session,
                    buildID: id, privacy: privacy,
                    maxTokens: maxTokens, scrub: scrubber)
                guard var generated else { return modelCalls }
                // Without --no-model, one call may improve the tool descriptions (a failure keeps the generated).
                if !noModel {
                    generated.describer = modelCalls
                    generated.report = { note in bus.publish(turn: turn, .notice("openapi: " + note)) }
                }
                return generated
            },
            approval: PublishedApproval(
                inner: interaction, bus: bus, turn: turn, denials: denials, scrubber: self.scrubber),
            interaction: interaction, stages: stages, repository: BuildRepository(db: context.database),
            session: session,
            maxRepairs: generated == nil ? context.config.build.maxRepairs : 0, environment: context.environment,
            scrub: scrub)
        do {
            let finished = try await run.run()
            let module = run.state.proven?.name ?? run.arguments.name ?? ""
            let outcome = finished.degraded == nil ? "installed" : "degraded"
            bus.publish(
                turn: turn,
                .buildFinished(module: module, outcome: outcome, latencyMs: MonotonicClock.millisSince(started)))
            bus.publish(turn: turn, .final(text: finished.text))
            _ = denials.take(turn)
            // A module whose live test failed is installed but does not work: the turn fails (exit 1) with the
            // way out, as the build's record says "degraded".
            if let (message, next) = finished.degraded {
                bus.publish(turn: turn, .error(message: scrub(message), hint: next))
                bus.publish(turn: turn, .turnFinished(outcome: "error", latencyMs: MonotonicClock.millisSince(started)))
                return .failed(.failure)
            }
            bus.publish(turn: turn, .turnFinished(outcome: "ok", latencyMs: MonotonicClock.millisSince(started)))
            return .done
        } catch {
            let cancelled =
                error is CancellationError || (error as? ProviderError)?.kind == .cancelled || Task.isCancelled
            let outcome = cancelled ? "cancelled" : Self.buildOutcome(error)
            let proven = run.state.proven
            run.finish(
                outcome, module: proven?.name, sha256: proven?.sha256,
                error: cancelled ? "cancelled" : error.userFacingDescription)
            bus.publish(
                turn: turn,
                .buildFinished(
                    module: proven?.name ?? run.arguments.name ?? "",
                    outcome: outcome == "denied" ? "declined" : outcome, latencyMs: MonotonicClock.millisSince(started))
            )
            _ = denials.take(turn)
            if cancelled { return finishCancelled(turn: turn, started: started) }
            return finishBuild(
                turn: turn, started: started,
                error: BuildInterrupted.wrap(error, buildID: run.state.workspace?.id, attempts: run.state.attempts))
        }
    }

    static func buildOutcome(_ error: any Error) -> String {
        if case .notApproved = error as? InstallError { return "denied" }
        return "failed"
    }

    func finishBuild(turn: Int, started: UInt64, error: any Error) -> SubmitOutcome {
        let (message, hint) = Self.describe(error)
        bus.publish(turn: turn, .error(message: scrub(message), hint: hint))
        let status = (error as? any UserFacingError)?.exitCode ?? .failure
        let outcome = status == .approvalNeeded ? "approval_denied" : "error"
        bus.publish(turn: turn, .turnFinished(outcome: outcome, latencyMs: MonotonicClock.millisSince(started)))
        return status == .approvalNeeded ? .approvalDenied : .failed(status)
    }
}
