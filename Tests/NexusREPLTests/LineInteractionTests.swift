import NexusCore
import Testing

@testable import NexusREPL

/// Approvals in line mode: answered by --approve, or by the next input line.
@Suite struct LineInteractionSpecs {
    let request = ApprovalRequest(id: "a", kind: .sensitiveTool, title: "Run delete_repo?", details: [])

    /// Runs `body` with an interaction reading `answers` from a real pipe; returns what it wrote to stderr.
    @discardableResult
    func withInteraction(
        _ policy: LineInteraction.Policy, answers: String, _ body: (LineInteraction) async -> Void
    ) async -> String {
        let input = PipeCapture()
        input.feed(Array(answers.utf8))
        input.closeWriteEnd()
        let err = PipeCapture()
        let i = LineInteraction(
            policy: policy, source: PipedLineSource(fd: input.readEnd), err: OutputSink(fd: err.writeEnd))
        await body(i)
        withExtendedLifetime(input) {}
        return err.drain()
    }

    @Test func yesAndNoPoliciesAnswerWithoutAskingAndSaySo() async {
        let approved = await withInteraction(.yes, answers: "") { i in
            #expect(await i.decide(request) == .yes)
            #expect(!i.anyDenied)
        }
        #expect(approved == "Run delete_repo?\n  → approved (--approve yes)\n")
        let denied = await withInteraction(.no, answers: "") { i in
            #expect(await i.decide(request) == .no)
            #expect(i.anyDenied, "a refusal makes a scripted run exit 3")
        }
        #expect(denied.hasSuffix("→ denied (--approve no)\n"))
    }

    @Test func theRequestIsShownBeforeTheQuestionWithItsDetailsAligned() async {
        let r = ApprovalRequest(
            id: "a1", kind: .moduleInstall, title: "Install module time?",
            details: [.init("command", "python3 -m mcp_server_time"), .init("network", "none")])
        let asked = await withInteraction(.ask, answers: "n\n") { i in
            #expect(await i.decide(r) == .no)
        }
        #expect(
            asked.hasPrefix(
                "Install module time?\n  command  python3 -m mcp_server_time\n  network  none\napprove? [y]es"))
    }

    @Test func aPipedSlashCommandIsNotSwallowedAsTheAnswer() async {
        let input = PipeCapture()
        input.feed(Array("/cost\nhello\n".utf8))
        input.closeWriteEnd()
        let err = PipeCapture()
        let source = PipedLineSource(fd: input.readEnd)
        let i = LineInteraction(policy: .ask, source: source, err: OutputSink(fd: err.writeEnd))
        #expect(await i.decide(request) == .no)
        #expect(await source.readLine(prompt: "") == "/cost", "the command runs next")
        #expect(await source.readLine(prompt: "") == "hello")
        #expect(err.drain().contains("/cost is a command, not an answer"))
    }

    @Test func aPipedAnswerThatIsNotYNOrAIsARefusalThatSaysWhy() async {
        let asked = await withInteraction(.ask, answers: "maybe\n") { i in
            #expect(await i.decide(request) == .no)
        }
        #expect(asked.contains("\"maybe\" is not y, n or a: denied"))
    }

    @Test func askReadsTheAnswerFromTheNextLine() async {
        let asked = await withInteraction(.ask, answers: " Y \nno\n") { i in
            #expect(await i.decide(request) == .yes)
            #expect(await i.decide(request) == .no)
        }
        #expect(asked.contains("approve? [y]es / [n]o / [a]lways"))
    }

    @Test func alwaysIsRememberedForTheSameRequest() async {
        await withInteraction(.ask, answers: "always\n") { i in
            #expect(await i.decide(request) == .always)
            #expect(await i.decide(request) == .yes, "asked once; the input has no second answer")
        }
    }

    func toolCall(_ arguments: String) -> ApprovalRequest {
        ApprovalRequest(
            id: "t-\(arguments.count)", kind: .sensitiveTool, title: "Run git_commit from module git?",
            details: [.init("tool", "git_commit"), .init("arguments", arguments)], tool: "git_commit")
    }

    /// Issue 12 item 10: "always" was remembered by title, so it approved every later call of the tool.
    @Test func alwaysCoversOnlyTheArgumentsShown() async {
        let asked = await withInteraction(.ask, answers: "a\nn\n") { i in
            #expect(await i.decide(toolCall(#"{"repo_path": "/x"}"#)) == .always)
            #expect(await i.decide(toolCall(#"{"repo_path": "/x"}"#)) == .yes, "the same arguments: not asked")
            #expect(await i.decide(toolCall(#"{"repo_path": "/home/me/.ssh"}"#)) == .no, "other arguments: asked")
        }
        #expect(asked.contains("[a]lways for git_commit with exactly these arguments"))
        #expect(asked.contains("/ [t] always for git_commit, any arguments"))
    }

    @Test func alwaysForTheToolIsASeparateExplicitChoice() async {
        await withInteraction(.ask, answers: "t\n") { i in
            #expect(await i.decide(toolCall(#"{"repo_path": "/x"}"#)) == .alwaysTool)
            #expect(await i.decide(toolCall(#"{"repo_path": "/y"}"#)) == .yes, "any arguments: not asked")
        }
        let refused = await withInteraction(.ask, answers: "t\n") { i in
            #expect(await i.decide(request) == .no, "a request without a tool offers no 'any arguments' choice")
        }
        #expect(!refused.contains("[t]"))
    }

    @Test func longArgumentsSayHowMuchWasLeftOutAndVShowsThemWhole() async {
        let long = #"{"message": ""# + String(repeating: "m", count: 4700) + #""}"#
        let asked = await withInteraction(.ask, answers: "v\ny\n") { i in
            #expect(await i.decide(toolCall(long)) == .yes)
        }
        let more = ApprovalText.grouped(long.count - LineInteraction.shownCharacters)
        #expect(asked.contains("… \(more) more characters (answer v to see them whole)"), "\(asked.prefix(600))")
        #expect(asked.contains("[v]iew whole"))
        #expect(asked.contains(long), "v printed the arguments whole")
        #expect(asked.ranges(of: "approve? ").count == 2, "and asked again")
    }

    @Test func endOfInputCountsAsNo() async {
        await withInteraction(.ask, answers: "") { i in
            #expect(await i.decide(request) == .no)
            #expect(i.anyDenied)
        }
    }

    @Test func secretsAreAskedOnlyWhenAPersonCanAnswer() async {
        await withInteraction(.ask, answers: "s3cret\n") { i in
            #expect(await i.askSecret(SecretPrompt(module: "weather", name: "api_key")) == "s3cret")
        }
        await withInteraction(.yes, answers: "s3cret\n") { i in
            #expect(await i.askSecret(SecretPrompt(module: "weather", name: "api_key")) == nil)
        }
    }
}
