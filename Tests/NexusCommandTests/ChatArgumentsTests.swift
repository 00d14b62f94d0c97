import ArgumentParser
import Testing

@testable import nexus

/// The fast chat-argument reader (start-up) must never disagree with ArgumentParser: whatever it accepts,
/// ArgumentParser parses to the same options; whatever it is unsure of, it leaves to ArgumentParser.
@Suite struct ChatArgumentsTests {
    static let tokens = [
        "--plain", "--json", "--yes", "-p", "hello", "-", "--home", "/h", "--home=/x", "--config", "c.toml",
        "--approve", "no", "--approve=yes", "--approve=maybe", "--help", "-h", "--bogus", "doctor", "--plain=1",
        "-p=x", "--", "-x", "", "--admin-port", "8003", "--admin-port=0", "--admin-port=x",
    ]

    /// Every vector of up to three tokens (about 14,000): the fast reader either declines or agrees.
    @Test func fastReaderAgreesWithArgumentParserOnEveryVectorItAccepts() throws {
        var vectors: [[String]] = [[]]
        var frontier: [[String]] = [[]]
        for _ in 0..<3 {
            frontier = frontier.flatMap { v in Self.tokens.map { v + [$0] } }
            vectors += frontier
        }
        var accepted = 0
        for args in vectors {
            guard let fast = ChatOptions.parseFast(args) else { continue }
            accepted += 1
            let slow: ChatCommand
            do {
                slow = try ChatCommand.parse(args)
            } catch {
                Issue.record("fast reader accepted \(args) but ArgumentParser rejects it: \(error)")
                continue
            }
            #expect(fast == slow.options, "\(args)")
        }
        // The fast path must actually serve the common cases, or the test proves nothing.
        #expect(accepted > 300)
    }

    @Test(arguments: [
        [], ["--plain"], ["-p", "hi", "--json"], ["-p", "-"], ["--home", "/h", "--config=c.toml", "--yes"],
        ["--approve", "no", "--plain"],
    ])
    func commonChatInvocationsTakeTheFastPath(args: [String]) {
        #expect(ChatOptions.parseFast(args) != nil)
    }

    @Test(arguments: [
        ["--help"], ["-h"], ["doctor"], ["--plain", "--help"], ["--approve", "maybe"], ["-p"], ["--home"],
        ["--version", "--plain"], ["--plain=1"], ["-p", "--json"],
    ])
    func helpSubcommandsAndMistakesGoThroughArgumentParser(args: [String]) {
        #expect(ChatOptions.parseFast(args) == nil)
    }

    @Test(arguments: ["-1 + 2", "--json", "-"])
    func theWordAfterDashPIsThePromptWhateverItLooksLike(prompt: String) throws {
        #expect(try ChatCommand.parse(["-p", prompt]).prompt == prompt)
    }

    @Test func yesWinsOverApprove() throws {
        let o = try #require(ChatOptions.parseFast(["--approve", "no", "--yes"]))
        #expect(o.policy == .yes)
    }
}
