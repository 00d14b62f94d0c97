import NexusCore
import NexusOrchestrator
import Testing

/// How a typed line splits into a command name and arguments.
@Suite struct SlashCommandLineTests {
    func parse(_ line: String) throws -> SlashCommandLine? { try SlashCommandLine.parse(line) }

    @Test func nameAndPlainArguments() throws {
        let line = try #require(try parse("/model code_generation anthropic:claude-sonnet-4-5"))
        #expect(line.name == "model")
        #expect(line.arguments == ["code_generation", "anthropic:claude-sonnet-4-5"])
        #expect(line.argumentText == "code_generation anthropic:claude-sonnet-4-5")
    }

    @Test func surroundingAndRepeatedWhitespaceIsIgnored() throws {
        let line = try #require(try parse("   /history\t  5   "))
        #expect(line.name == "history")
        #expect(line.arguments == ["5"])
        #expect(line.argumentText == "5")
    }

    @Test func doubleQuotesGroupWordsAndHonourEscapes() throws {
        let line = try #require(try parse(#"/creds set "my key" "say \"hi\" \\ ok""#))
        #expect(line.arguments == ["set", "my key", #"say "hi" \ ok"#])
    }

    @Test func singleQuotesAreTakenAsWritten() throws {
        let line = try #require(try parse(#"/build 'a "quoted" \n thing'"#))
        #expect(line.arguments == [#"a "quoted" \n thing"#])
    }

    @Test func quotedPartsJoinTheTextAroundThem() throws {
        #expect(try parse(#"/x a"b c"d e"#)?.arguments == ["ab cd", "e"])
        #expect(try parse(#"/x "" ''"#)?.arguments == ["", ""])
        #expect(try parse(#"/x one\ word"#)?.arguments == ["one word"])
    }

    @Test func unterminatedQuoteIsAnErrorShowingTheLine() throws {
        do {
            _ = try SlashCommandLine.parse(#"/model code_generation "local:qwen"#)
            Issue.record("an unterminated quote must be refused")
        } catch {
            #expect(error.userMessage == #"unterminated " in: /model code_generation "local:qwen"#)
            #expect(error.exitCode == .usage)
        }
    }

    @Test func chatTextIsNotACommand() throws {
        #expect(try parse("hello /help") == nil)
        #expect(try parse("") == nil)
        #expect(try parse("what does /usr/bin/env do?") == nil)
        #expect(try parse("/usr/bin/env is what?") == nil, "a path is chat, not a command")
        #expect(try parse("//not a command") == nil)
        #expect(SlashCommandLine.isCommand("/help"))
        #expect(!SlashCommandLine.isCommand("help"))
    }

    @Test func loneSlashHasAnEmptyName() throws {
        #expect(try parse("/")?.name == "")
        #expect(try parse("/ help")?.name == "")
    }

    @Test func noArgumentsGiveAnEmptyList() throws {
        let line = try #require(try parse("/quit"))
        #expect(line.arguments == [])
        #expect(line.argumentText == "")
    }
}
