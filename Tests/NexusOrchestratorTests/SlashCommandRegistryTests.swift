import NexusCore
import NexusOrchestrator
import Synchronization
import Testing

/// The shared command table: lookup, suggestions, completion, help text and the built-in commands.
@Suite struct SlashCommandRegistryTests {
    /// A session stand-in that records what the built-ins asked of it.
    final class Session: Sendable {
        let inputs = Mutex<[String]>([])
        let clears = Mutex(0)

        var hooks: SlashCommandRegistry.BuiltinHooks {
            .init(
                effectiveConfig: { "privacy = \"open\"\n" },
                recentInputs: { [self] limit in self.inputs.withLock { Array($0.suffix(limit)) } },
                clearConversation: { [self] in self.clears.withLock { $0 += 1 } })
        }
    }

    func registry(_ session: Session = Session()) throws -> SlashCommandRegistry {
        let r = SlashCommandRegistry()
        try r.registerBuiltins(session.hooks)
        try r.register(
            SlashCommand(
                name: "model", summary: "Show or change the model for a task type",
                usage: "/model [TASK provider:model]",
                completeArgument: { _ in ["code_generation", "complex_reasoning", "simple_query"] }
            ) { inv in SlashResult("model " + inv.arguments.joined(separator: " ")) })
        return r
    }

    func error(_ body: () async throws -> Void) async -> (any UserFacingError)? {
        do {
            try await body()
            return nil
        } catch let e as any UserFacingError {
            return e
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func unknownCommandSuggestsTheClosestOne() async throws {
        let r = try registry()
        let e = await error { _ = try await r.execute("/hepl") }
        #expect(e?.userMessage == "unknown command /hepl — did you mean /help?")
        #expect(e?.exitCode == .usage)
        #expect(
            await error { _ = try await r.execute("/qiut") }?.userMessage
                == "unknown command /qiut — did you mean /quit?")
        #expect(
            await error { _ = try await r.execute("/exti") }?.userMessage
                == "unknown command /exti — did you mean /exit?")
        #expect(await error { _ = try await r.execute("/xyzzy") }?.userMessage == "unknown command /xyzzy")
        #expect(await error { _ = try await r.execute("/") }?.userMessage == "a command name must follow \"/\"")
    }

    @Test func lookupByNameOrAliasIgnoresCaseAndSlash() throws {
        let r = try registry()
        #expect(r.command(named: "exit")?.name == "quit")
        #expect(r.command(named: "/QUIT")?.name == "quit")
        #expect(r.command(named: "nope") == nil)
    }

    @Test func duplicateNamesAndAliasesAreRefused() throws {
        let r = try registry()
        #expect(throws: SlashCommandError.duplicateName("help")) {
            try r.register(SlashCommand(name: "help", summary: "again") { _ in SlashResult("") })
        }
        #expect(throws: SlashCommandError.duplicateName("exit")) {
            try r.register(SlashCommand(name: "leave", aliases: ["exit"], summary: "x") { _ in SlashResult("") })
        }
        #expect(r.command(named: "leave") == nil, "a refused command leaves nothing behind")
    }

    @Test func helpListsEveryCommandAligned() throws {
        let text = try registry().help()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "Commands:")
        let rows = lines.filter { $0.hasPrefix("  /") }
        #expect(rows.count == 6)
        for name in ["/clear", "/config", "/help", "/history", "/model", "/quit, /exit"] {
            #expect(rows.contains { $0.hasPrefix("  " + name + " ") }, "\(name) listed")
        }
        // Every summary starts in the same column.
        let r = try registry()
        let columns = Set(
            r.commands.compactMap { c -> Int? in
                guard let row = rows.first(where: { $0.hasSuffix(c.summary) }) else { return nil }
                return row.count - c.summary.count
            })
        #expect(columns.count == 1)
        #expect(rows.contains("  /quit, /exit  Leave NEXUS"))
    }

    @Test func helpForOneCommandShowsItsUsage() async throws {
        let r = try registry()
        let text = try #require(try await r.execute("/help model")).text
        #expect(text == "usage: /model [TASK provider:model]\n  Show or change the model for a task type")
        #expect(try await r.execute("/help /exit")?.text.contains("also: /exit") == true)
        #expect(
            await error { _ = try await r.execute("/help modle") }?.userMessage
                == "unknown command /modle — did you mean /model?")
    }

    @Test func commandNamesCompleteFromAPrefix() throws {
        let r = try registry()
        #expect(r.completions(prefix: "/h").map(\.text) == ["/help", "/history"])
        #expect(
            r.completions(prefix: "/he") == [
                Completion(text: "/help", summary: "List commands, or show one command's usage")
            ])
        #expect(r.completions(prefix: "/ex").map(\.text) == ["/exit"])
        #expect(r.completions(prefix: "/").count == 6)
        #expect(r.completions(prefix: "hello").isEmpty)
        #expect(r.completions(prefix: "/zz").isEmpty)
    }

    @Test func firstArgumentCompletesFromTheCommand() throws {
        let r = try registry()
        #expect(
            r.completions(prefix: "/model co").map(\.text) == ["/model code_generation", "/model complex_reasoning"])
        #expect(r.completions(prefix: "/model ").count == 3)
        #expect(r.completions(prefix: "/model code_generation ").isEmpty, "only the first argument completes")
        #expect(r.completions(prefix: "/help hi").map(\.text) == ["/help history"])
        #expect(r.completions(prefix: "/nope x").isEmpty)
    }

    @Test func quitAndExitAskTheFaceToLeave() async throws {
        let r = try registry()
        #expect(try await r.execute("/quit")?.action == .quit)
        #expect(try await r.execute("/exit")?.action == .quit)
        #expect(await error { _ = try await r.execute("/quit now") }?.hint == "usage: /quit")
    }

    @Test func aCommandWithoutAUsageLineRefusesArgumentsAndDoesNotRun() async throws {
        let session = Session()
        let r = try registry(session)
        let ran = Mutex(false)
        try r.register(
            SlashCommand(name: "cost", summary: "Tokens and cost") { _ in
                ran.withLock { $0 = true }
                return SlashResult("cost")
            })
        let e = await error { _ = try await r.execute("/cost extra") }
        #expect(e?.userMessage.contains("takes no arguments") == true)
        #expect(e?.hint == "usage: /cost")
        #expect(!ran.withLock { $0 })
        _ = await error { _ = try await r.execute("/clear now") }
        #expect(session.clears.withLock { $0 } == 0, "/clear with arguments clears nothing")
        #expect(try await r.execute("/cost")?.text == "cost")
    }

    @Test func clearResetsTheConversation() async throws {
        let session = Session()
        let r = try registry(session)
        let result = try await r.execute("/clear")
        #expect(result?.action == .clear)
        #expect(session.clears.withLock { $0 } == 1)
    }

    @Test func historyShowsRecentInputsNumbered() async throws {
        let session = Session()
        let r = try registry(session)
        #expect(try await r.execute("/history")?.text == "No inputs yet.")
        session.inputs.withLock { $0 = (1...12).map { "question \($0)" } }
        let all = try #require(try await r.execute("/history")).text.split(separator: "\n")
        #expect(all.count == 12)
        #expect(all.first == " 1  question 1")
        #expect(all.last == "12  question 12")
        #expect(try await r.execute("/history 2")?.text == "1  question 11\n2  question 12")
        let e = await error { _ = try await r.execute("/history -3") }
        #expect(e?.userMessage == "/history: expected a positive number of inputs, got -3")
        #expect(e?.exitCode == .usage)
    }

    @Test func configShowsTheEffectiveConfiguration() async throws {
        #expect(try await registry().execute("/config")?.text == "privacy = \"open\"\n")
    }

    @Test func chatLinesAreNotCommands() async throws {
        #expect(try await registry().execute("tell me about /help") == nil)
    }

    @Test func unregisteredCommandsDisappearWithTheirAliases() async throws {
        let r = try registry()
        r.unregister("exit")
        #expect(r.command(named: "quit") == nil)
        #expect(r.command(named: "exit") == nil)
        #expect(!r.help().contains("/quit"))
    }
}
