import NexusCore
import NexusStore

/// Slash commands run through the shared registry; their text comes out as `.commandOutput` events
/// so every face shows it the same way.
extension Orchestrator {
    func runCommand(_ line: String) async -> SubmitOutcome {
        let turn = nextTurn()
        let outcome: SubmitOutcome
        do {
            guard let result = try await commands.execute(line) else { return await runTurn(line) }
            // Only a label: the command itself reports its parse error.
            let name = (try? SlashCommandLine.parse(line))??.name ?? "command"
            if !result.text.isEmpty { bus.publish(turn: turn, .commandOutput(command: name, text: scrub(result.text))) }
            switch result.action {
            case .none: outcome = .done
            case .quit: outcome = .quit
            case .clear: outcome = .cleared
            }
        } catch {
            let (message, hint) = Self.describe(error)
            bus.publish(turn: turn, .error(message: message, hint: hint))
            outcome = .failed((error as? any UserFacingError)?.exitCode ?? .failure)
        }
        bus.publish(turn: turn, .turnFinished(outcome: "command", latencyMs: 0))
        return outcome
    }

    nonisolated func commandCompletions(_ prefix: String) -> [Completion] {
        commands.completions(prefix: prefix)
    }

    func clearConversation() {
        conversation.removeAll()
    }

    func effectiveConfigText() -> String {
        var c = context.config
        c.privacy = privacy
        for (task, chain) in routes.overrides { c.routing[task] = chain }
        return ConfigLoader.render(c, environment: context.environment)
    }

    /// Registers the built-ins and the routing, cost and privacy commands.
    nonisolated func registerCoreCommands() throws {
        try commands.registerBuiltins(
            .init(
                effectiveConfig: { [weak self] in await self?.effectiveConfigText() ?? "" },
                // Suggestions only: no history read, no suggestions.
                recentInputs: { [weak self] n in (try? self?.history.recentInputs(limit: n)) ?? [] },
                clearConversation: { [weak self] in await self?.clearConversation() }))
        let taskNames: @Sendable (String) -> [String] = { [weak self] _ in
            self?.context.config.taskTypes.map(\.rawValue) ?? []
        }
        try commands.register(
            SlashCommand(
                name: "model", summary: "Assign a model (or fallback chain) to a task type, at once and for good",
                usage:
                    "/model TASK_TYPE PROVIDER:MODEL[,PROVIDER:MODEL...]  |  /model --reset [TASK_TYPE]  |  /model "
                    + "(the table)",
                completeArgument: { partial in ["--reset"] + taskNames(partial) }
            ) { [weak self] inv in
                guard let self else { return SlashResult("") }
                return SlashResult(try await self.assignModel(inv.arguments))
            })
        try commands.register(
            SlashCommand(name: "route", summary: "Show the last routing decision and the route of every task type") {
                [weak self] _ in
                SlashResult(await self?.routeReport() ?? "")
            })
        try commands.register(
            SlashCommand(name: "models", summary: "Providers, reachability, their models, and the model per task type")
            {
                [weak self] _ in
                SlashResult(await self?.modelsReport() ?? "")
            })
        try commands.register(
            SlashCommand(
                name: "cost", summary: "Tokens and cost this session and all time, by provider, model and task type"
            ) {
                [weak self] _ in
                SlashResult(await self?.costReport() ?? "")
            })
        try commands.register(
            SlashCommand(
                name: "privacy", summary: "Show or set privacy: open, or local-only (refuses every non-local provider)",
                usage: "/privacy [open|local-only]", completeArgument: { _ in PrivacyMode.allCases.map(\.rawValue) }
            ) { [weak self] inv in
                guard let self else { return SlashResult("") }
                return SlashResult(try await self.setPrivacy(inv.arguments))
            })
        try commands.register(
            SlashCommand(name: "tools", summary: "List the tools the model may call") { [weak self] _ in
                guard let self else { return SlashResult("") }
                let tools = await self.allTools()
                if tools.isEmpty { return SlashResult("No tools.") }
                let w = tools.map(\.name.count).max() ?? 0
                return SlashResult(
                    tools.map { "  " + $0.name.padded(to: w) + "  " + Self.listed($0.description) }.joined(
                        separator: "\n"))
            })
    }

    /// A tool's description on one listing line: its first 90 characters, with "…" when there is more, and
    /// line breaks as spaces (a module's description may hold any text).
    static func listed(_ description: String) -> String {
        let flat = String(description.map { $0.isNewline ? " " : $0 })
        return flat.count > 90 ? flat.prefix(89) + "…" : flat
    }

    func allTools() async -> [ToolDefinition] {
        var all: [ToolDefinition] = []
        for s in toolSources { all += await s.tools() }
        return all
    }

    func assignModel(_ args: [String]) throws -> String {
        if args.first == "--reset" {
            let task =
                try args.count > 1
                ? Self.parseTaskType(
                    args[1], config: context.config, overridden: Array(routes.overrides.keys), mustExist: true)
                : nil
            let before = routeSnapshot()
            try settings.resetRoute(task)
            let reset = task.map { [$0] } ?? routes.overrides.keys.sorted { $0.rawValue < $1.rawValue }
            if let task { routes.overrides[task] = nil } else { routes.overrides = [:] }
            publishRouteChanges(since: before, named: reset, by: "/model --reset")
            return task.map { "\($0) follows nexus.toml again: \(chainText(routes.chain(for: $0).chain))" }
                ?? "All tasks follow nexus.toml again."
        }
        // `/model` alone answers "what is assigned now?" with the table `/route` shows, and how to change it.
        if args.isEmpty {
            var lines = ["Model per task type:"] + routingTable()
            lines.append("")
            lines.append("change one: /model TASK_TYPE PROVIDER:MODEL[,PROVIDER:MODEL...]")
            lines.append("back to nexus.toml: /model --reset [TASK_TYPE]")
            return lines.joined(separator: "\n")
        }
        guard args.count == 2 else {
            throw SlashCommandError.badArguments(
                command: "model", problem: "expected TASK_TYPE and PROVIDER:MODEL",
                usage: "/model TASK_TYPE PROVIDER:MODEL[,PROVIDER:MODEL...]")
        }
        let task = try Self.parseTaskType(args[0], config: context.config, mustExist: false)
        let chain = try Self.parseChain(args[1], config: context.config)
        return try setRoute(task, chain)
    }

    /// A task type named by a user (`/model`, `nexus route`): a valid name; for a reset, also one that exists
    /// (configured, built in, or overridden), so a typo is not confirmed as done.
    public static func parseTaskType(_ name: String, config: NexusConfig, overridden: [TaskType] = [], mustExist: Bool)
        throws -> TaskType
    {
        let known = (config.taskTypes + overridden).map(\.rawValue)
        guard TaskType.isValidName(name) else {
            throw NexusError(
                "\"\(name)\" is not a task type name (lowercase letters, digits and _)",
                hint: "`nexus route` lists the task types", exit: .usage)
        }
        guard !mustExist || known.contains(name) else {
            let guess = DidYouMean.suggestion(for: name, among: known).map { "did you mean \($0)? " } ?? ""
            throw NexusError(
                "no task type \"\(name)\"", hint: guess + "`nexus route` lists the task types", exit: .usage)
        }
        // A new name one typo from a task type that exists is that task type mistyped: a route under the new
        // name would never be used (nothing sends turns to it), so it is refused, as nexus.toml warns of it.
        if !known.contains(name), let guess = DidYouMean.suggestion(for: name, among: known) {
            throw NexusError(
                "no task type \"\(name)\"",
                hint: "did you mean \(guess)? (a new task type is declared in nexus.toml: [tasks.\(name)] with the "
                    + "keywords that send turns to it)",
                exit: .usage)
        }
        return TaskType(name)
    }

    /// Parses `provider:model[,provider:model…]`, refusing unknown providers with the list of known ones.
    public static func parseChain(_ text: String, config: NexusConfig) throws -> [ModelRef] {
        var chain: [ModelRef] = []
        for part in text.split(separator: ",") {
            guard let ref = ModelRef(parsing: String(part)) else {
                throw NexusError(
                    "\"\(part)\" is not provider:model", hint: "for example local:qwen2.5-coder:3b", exit: .usage)
            }
            guard config.provider(named: ref.provider) != nil else {
                let names = config.providers.map(\.name)
                let guess = DidYouMean.suggestion(for: ref.provider, among: names).map { "did you mean \($0)? " }
                throw NexusError(
                    "unknown provider \"\(ref.provider)\"",
                    hint: names.isEmpty
                        ? "configure one in nexus.toml ([providers.NAME])"
                        : (guess ?? "") + "configured providers: \(names.joined(separator: ", "))",
                    exit: .usage)
            }
            chain.append(ref)
        }
        guard !chain.isEmpty else { throw NexusError("empty model chain", exit: .usage) }
        return chain
    }

    func chainText(_ chain: [ModelRef]) -> String {
        chain.isEmpty ? "(none)" : chain.map(\.description).joined(separator: " → ")
    }

    func routeReport() -> String {
        var lines: [String] = []
        if let (d, tier, chain) = lastRoute {
            lines.append("last turn: \(d.taskType) (\(d.reason)), tier \(tier.rawValue), model \(chainText(chain))")
        } else {
            lines.append("last turn: none yet")
        }
        // The table says what its columns are: task type, tier, then the models in failover order.
        lines.append("")
        lines.append("Model per task type (tier, then the models in failover order):")
        lines.append(contentsOf: routingTable())
        return lines.joined(separator: "\n")
    }

    func routingTable() -> [String] {
        let rows = routes.all()
        let w = rows.map(\.0.rawValue.count).max() ?? 0
        return rows.map { t, chain, source in
            "  " + t.rawValue.padded(to: w) + "  " + routes.config.tier(for: t).rawValue.padded(to: 9)
                + chainText(chain)
                + (source == .override ? "   (set by /model)" : source == .fallbackDefault ? "   (default)" : "")
        }
    }

    func modelsReport() async -> String {
        var lines = ["Providers:"]
        if context.config.providers.isEmpty { lines.append("  none configured — \(Self.noProviderHint)") }
        for p in context.config.providers {
            let local = ConfigDecoder.isOnThisMachine(p)
            var line =
                "  \(p.name.padded(to: 10)) \(p.kind.rawValue.padded(to: 9)) \(p.baseURL ?? "(default endpoint)")"
            line += local ? "  local" : ""
            if let env = p.apiKeyEnv {
                line +=
                    context.environment[env].map { $0.isEmpty ? "  \(env) empty" : "  \(env) set" }
                    ?? "  \(env) NOT SET"
            }
            lines.append(line)
            let client = providerClients.first { $0.name == p.name }
            if privacy == .localOnly, let client, !client.isLocal {
                // Under local-only nothing is sent to a remote provider, not even a model listing.
                lines.append("      not asked: privacy is local-only")
            } else if let client {
                let listed = await Self.listModels(client, timeout: 3)
                switch listed {
                case .success(let models):
                    let shown =
                        models.prefix(8).joined(separator: ", ") + (models.count > 8 ? ", … (\(models.count))" : "")
                    lines.append("      reachable; models: \(shown.isEmpty ? "(none listed)" : shown)")
                case .failure(let e):
                    lines.append("      unreachable: \(e)")
                }
            }
        }
        lines.append("")
        lines.append("Model per task type (privacy: \(privacy.rawValue)):")
        lines.append(contentsOf: routingTable())
        return lines.joined(separator: "\n")
    }

    /// Lists a provider's models, giving up after `timeout` seconds.
    public static func listModels(_ p: any LLMProvider, timeout: Double) async -> Result<[String], NexusError> {
        await withTaskGroup(of: Result<[String], NexusError>?.self) { group in
            group.addTask {
                do { return .success(try await p.listModels()) } catch {
                    return .failure(NexusError(Self.describe(error).0))
                }
            }
            group.addTask {
                // Task.sleep throws only on cancellation, which the caller checks next.
                try? await Task.sleep(nanoseconds: Seconds.nanoseconds(timeout))
                return Task.isCancelled ? nil : .failure(NexusError("no answer within \(Seconds.describe(timeout))"))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(NexusError("no answer"))
        }
    }

    func costReport() -> String {
        var out: [String] = []
        func section(_ title: String, _ g: LedgerRepository.Grouping, _ session: String?) {
            // Display only: a ledger that cannot be read shows no rows (the ledger writer reports failed writes).
            let rows = (try? ledger.totals(by: g, session: session)) ?? []
            out.append(title)
            if rows.isEmpty {
                out.append("  (no calls)")
                return
            }
            let w = rows.map(\.key.count).max() ?? 0
            for r in rows {
                let cost = r.allLocal && r.costUSD == 0 ? "$0 (local, free)" : Self.money(r.costUSD)
                let approx = r.anyEstimated ? "~" : ""
                out.append(
                    "  \(r.key.padded(to: w))  \(r.callsColumn)  \((approx + String(r.tokensIn)).leftPadded(to: 8)) in  \((approx + String(r.tokensOut)).leftPadded(to: 8)) out  \(cost)\(r.failedSuffix)"
                )
            }
        }
        var anyEstimated = false
        for (label, total) in [
            // Display only, as above.
            ("This session:", try? ledger.grandTotal(session: sessionID)), ("All time:    ", try? ledger.grandTotal()),
        ] {
            guard let t = total else { continue }
            let approx = t.anyEstimated ? "~" : ""
            anyEstimated = anyEstimated || t.anyEstimated
            out.append(
                "\(label) \(t.callsText), \(approx)\(t.tokensIn) in, \(approx)\(t.tokensOut) out, \(Self.money(t.costUSD))"
            )
        }
        out.append("")
        section("This session by provider:", .provider, sessionID)
        section("This session by model:", .model, sessionID)
        section("This session by task type:", .taskType, sessionID)
        section("All time by provider:", .provider, nil)
        section("All time by model:", .model, nil)
        section("All time by task type:", .taskType, nil)
        out += moduleCostLines("This session by module:", session: sessionID)
        out += moduleCostLines("All time by module:", session: nil)
        if anyEstimated {
            out.append("~ estimated: the server reported no token counts (llama.cpp does not while streaming)")
        }
        return out.joined(separator: "\n")
    }

    static func money(_ v: Double) -> String {
        v == 0 ? "$0" : Money.dollars(v, decimals: 4)
    }

    func setPrivacy(_ args: [String]) throws -> String {
        guard let arg = args.first else {
            return "privacy: \(privacy.rawValue)"
                + (privacy == .localOnly ? " — only loopback or user-marked local providers are used" : "")
        }
        guard let mode = PrivacyMode(rawValue: arg) else {
            throw SlashCommandError.badArguments(
                command: "privacy", problem: "expected open or local-only, got \(arg)",
                usage: "/privacy [open|local-only]")
        }
        privacy = mode
        try settings.setValue("privacy", mode.rawValue)
        return "privacy: \(mode.rawValue)"
    }
}
