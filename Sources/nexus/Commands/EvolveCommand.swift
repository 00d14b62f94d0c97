import ArgumentParser
import NexusCore
import NexusEvolution
import NexusOrchestrator
import NexusPOSIX
import NexusREPL
import NexusStore

/// `nexus evolve`: the co-evolution loop (DESIGN §4.7). A person starts it; each round the curriculum picks a
/// farm challenge from the record, the model-written build loop builds a module for it in the sandbox (never
/// installed), and the round is recorded. `nexus evolve status` shows how builds fare.
struct EvolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evolve",
        abstract: "Co-evolution: build modules for farm challenges and learn from the repairs (nothing is installed).",
        subcommands: [Run.self, Status.self, Templates.self, Rollback.self], defaultSubcommand: Run.self)

    /// The farm, its scenarios, the templates and the record, or the error that says what is missing.
    struct Ground {
        let ctx: NexusContext
        let farm: String
        let scenarios: [String]
        let templates: String
        /// The repository's templates/python (version 0) and the evolved versions.
        let base: BuildTemplate
        let evolved: EvolvedTemplates
        let record: EvolveRecord

        init(_ global: GlobalOptions) throws {
            ctx = try global.openContext()
            guard let farm = FarmScenarios.locate(ctx.environment) else {
                throw NexusError(
                    "evolve: the challenge farm was not found",
                    hint: "run nexus from its repository, or set NEXUS_FARM to its farm folder")
            }
            self.farm = farm
            scenarios = FarmScenarios.scenarios(farm)
            guard let templates = BuildWiring.templatesDirectory(ctx) else {
                throw NexusError(
                    "evolve: the module templates (templates/python) were not found",
                    hint: "run nexus from its repository, or set NEXUS_TEMPLATES")
            }
            self.templates = templates
            base = try BuildTemplate.load(directory: templates)
            evolved = EvolvedTemplates(home: ctx.paths.home, db: ctx.database)
            record = EvolveRecord(db: ctx.database)
        }

        /// The version builds use: the adopted one (a folder edited by hand is an error naming it).
        func template() throws -> BuildTemplate { try evolved.apply(to: base) }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run rounds: pick a challenge, build for it in the sandbox, record how it went.",
            discussion: """
                nexus evolve --rounds 5 --budget 0.50 --approve yes
                nexus evolve --scenario rate_limit_429

                Each round is one build (at most 1 + [build] max_repairs model calls on the code_generation \
                route); its files are kept under $NEXUS_HOME/evolve/builds/<id>/ (the newest 20 rounds'). \
                Ctrl-C stops between or inside rounds; the round under way is recorded as interrupted.

                A round a repair saved gives a one-sentence lesson; after the rounds, new lessons make a candidate \
                template version, tried on the challenges they came from and adopted only when it does at least \
                as well as the version builds use now (nexus evolve templates).
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "How many rounds.") var rounds: Int = 3
        @Option(help: ArgumentHelp("Only this farm scenario.", valueName: "scenario")) var scenario: String?
        @Option(help: ArgumentHelp("The most this run may spend, in US dollars.", valueName: "usd"))
        var budget: Double = 1.0
        @Option(
            name: .long,
            help: ArgumentHelp("How the start (model calls cost money) is confirmed.", valueName: "ask|yes|no"))
        var approve: LineInteraction.Policy = .ask
        @Flag(name: .long, help: "Start without asking (same as --approve yes).") var yes = false

        func run() async throws {
            guard (1...1000).contains(rounds) else {
                throw NexusError("evolve: --rounds \(rounds): give 1 to 1000", exit: .usage)
            }
            guard budget.isFinite, budget > 0 else {
                throw NexusError("evolve: --budget \(budget): give an amount above 0, e.g. 0.50", exit: .usage)
            }
            let ground = try Ground(global)
            if let scenario, !ground.scenarios.contains(scenario) {
                throw NexusError(
                    "evolve: no farm scenario \(scenario)",
                    hint: "choose one of: \(ground.scenarios.joined(separator: ", "))", exit: .usage)
            }
            let ctx = ground.ctx
            let template = try ground.template()
            let interaction = LineInteraction(policy: .no, source: PipedLineSource(fd: 0))
            let parts = try await SessionFactory.make(context: ctx, interaction: interaction)
            let outcome: Result<EvolveLoop.Summary, any Error>
            do {
                let model = try await parts.orchestrator.buildRouteModel()
                try await confirm(model: model)
                let loop = EvolveLoop(
                    executor: EvolveWiring.executor(
                        ctx, orchestrator: parts.orchestrator, farm: ground.farm, templates: ground.templates,
                        template: template),
                    record: ground.record, scenarios: scenario.map { [$0] } ?? ground.scenarios, rounds: rounds,
                    budget: EvolveBudget(limitUSD: budget),
                    learning: EvolveLearning(templates: ground.evolved, base: ground.base))
                Terminal.out(
                    "evolve: \(rounds) round\(rounds == 1 ? "" : "s") on \(model), template \(template.version), "
                        + "budget \(Money.dollars(budget, decimals: 2)); nothing is installed\n")
                let unpriced = await parts.orchestrator.unpricedBuildModels()
                if !unpriced.isEmpty {
                    // Their calls cost $0 in the ledger: only --rounds and [build] max_repairs bound the run.
                    Terminal.out(
                        "evolve: no price is known for \(unpriced.joined(separator: ", ")): --budget cannot stop "
                            + "this run (set [pricing.\"provider:model\"] in the config)\n")
                }
                let runID = String(Int(WallClock.now()))
                let task = Task { try await loop.run(runID: runID) { Terminal.out($0 + "\n") } }
                // Ctrl-C cancels the run (the round under way is recorded as interrupted); a second within a second exits.
                let watcher = InterruptWatcher { task.cancel() }
                outcome = await task.result
                watcher.stop()
            } catch {
                outcome = .failure(error)
            }
            await SessionFactory.shutdown(parts)
            let summary = try outcome.get()
            let solved = summary.attempts.filter { $0.outcome == .solved }.count
            // The trial's rounds included: what the budget counted.
            let cost = summary.spentUSD
            Terminal.out(
                "evolve: \(summary.attempts.count) round\(summary.attempts.count == 1 ? "" : "s"), \(solved) solved, "
                    + "\(Money.dollars(cost, decimals: 4))" + (summary.stoppedEarly.map { "; stopped: \($0)" } ?? "")
                    + " (nexus evolve status)\n")
            // Stopped by Ctrl-C: the shell's convention for an interrupted command.
            if summary.interrupted { throw ExitCode(130) }
            // A round stopped by its own error (no model, a provider down): the run failed.
            if summary.failed { throw ExitCode(1) }
        }

        /// Model calls cost money: the run starts on a yes (`--approve yes`, `--yes`, or an answer at a terminal).
        func confirm(model: String) async throws {
            let policy = yes ? .yes : approve
            if policy == .yes { return }
            let refused = NexusError(
                "evolve: not started (it calls \(model), up to \(Money.dollars(budget, decimals: 2)))",
                hint: "start it with --approve yes", exit: .approvalNeeded)
            guard policy == .ask, Terminal.stdinIsTTY else { throw refused }
            let source = EditLineSource(historyPath: nil)
            let answer = await source.readLine(
                prompt: "Run \(rounds) evolve round\(rounds == 1 ? "" : "s") on \(model), spending at most "
                    + "\(Money.dollars(budget, decimals: 2))? [y/N] ")
            guard let answer, ["y", "yes"].contains(answer.trimmingSpaces.lowercased()) else { throw refused }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How builds fare per scenario and per failure category, and the next challenge.")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Print one JSON object instead of text.") var json = false

        func run() throws {
            let ground = try Ground(global)
            let record = try ground.record.all()
            let version = try ground.template().version
            if json {
                Terminal.out(
                    EvolveStatusText.json(scenarios: ground.scenarios, record: record, template: version).serialized
                        + "\n")
            } else {
                Terminal.out(
                    EvolveStatusText.text(scenarios: ground.scenarios, record: record, template: version) + "\n")
            }
        }
    }

    struct Templates: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The template versions: the base, each evolved one with its lessons, trial score and decision.")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Also print each version's lessons.") var lessons = false

        func run() throws {
            let ground = try Ground(global)
            Terminal.out(
                EvolveTemplatesText.text(
                    base: ground.base, versions: try ground.evolved.list(), adopted: try ground.evolved.adopted(),
                    lessons: lessons) + "\n")
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Go back to the adopted template version's parent (the base at the end).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let ground = try Ground(global)
            guard let (from, to) = try ground.evolved.rollback() else {
                throw NexusError(
                    "evolve rollback: builds already use the base template (\(ground.base.version))",
                    hint: "nothing to roll back; see nexus evolve templates")
            }
            let label = EvolvedTemplates.label(base: ground.base.version, number: to)
            let old = Int(from).map { EvolvedTemplates.label(base: ground.base.version, number: $0) } ?? from
            Terminal.out("template: back from \(old) to \(label); builds now use \(label)\n")
        }
    }
}
