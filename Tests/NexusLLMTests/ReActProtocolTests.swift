import NexusCore
import Testing

@testable import NexusLLM

@Suite struct ReActProtocolTests {
    let tools = [weatherTool, ToolDefinition(name: "search", description: "Web search")]

    func step(_ reply: String) -> Result<ReActStep, ReActParseFailure> {
        ReActProtocol.parse(reply, tools: tools, callID: "react_1")
    }

    @Test func strictToolCallIsRead() {
        #expect(
            step(#"{"tool": "get_weather", "arguments": {"city": "Lyon"}}"#)
                == .success(.toolCall(ToolCall(id: "react_1", name: "get_weather", arguments: ["city": "Lyon"]))))
    }

    @Test func finalAnswerIsRead() {
        #expect(step(#"{"final": "It is 21 degrees."}"#) == .success(.final("It is 21 degrees.")))
    }

    @Test func codeFencesAndSurroundingProseAreStripped() {
        let reply = """
            Sure! I will check the weather.
            ```json
            {"tool": "get_weather", "arguments": {"city": "Oslo"}}
            ```
            Let me know if you need anything else.
            """
        #expect(
            step(reply)
                == .success(.toolCall(ToolCall(id: "react_1", name: "get_weather", arguments: ["city": "Oslo"]))))
    }

    @Test func trailingCommasSingleQuotesAndPythonLiteralsAreRepaired() {
        #expect(
            step("{'tool': 'search', 'arguments': {'q': 'swift', 'safe': True, 'page': None,},}")
                == .success(
                    .toolCall(
                        ToolCall(id: "react_1", name: "search", arguments: ["q": "swift", "safe": true, "page": nil]))))
    }

    @Test func truncatedJSONIsClosed() {
        #expect(
            step(#"{"tool": "get_weather", "arguments": {"city": "Rome""#)
                == .success(.toolCall(ToolCall(id: "react_1", name: "get_weather", arguments: ["city": "Rome"]))))
    }

    @Test func argumentsGivenAsAJSONStringAreDecoded() {
        #expect(
            step(#"{"tool": "get_weather", "arguments": "{\"city\": \"Nice\"}"}"#)
                == .success(.toolCall(ToolCall(id: "react_1", name: "get_weather", arguments: ["city": "Nice"]))))
    }

    @Test func plainTextWithoutJSONIsTheFinalAnswer() {
        #expect(step("Paris is the capital of France.") == .success(.final("Paris is the capital of France.")))
    }

    @Test func unknownToolIsAFailureThatListsTheTools() throws {
        guard case .failure(let f) = step(#"{"tool": "launch_rocket", "arguments": {}}"#) else {
            Issue.record("expected a failure")
            return
        }
        #expect(f.message.contains("launch_rocket"))
        #expect(f.message.contains("get_weather, search"))
    }

    @Test func unreadableJSONIsAFailureWithTheFormatReminder() {
        guard case .failure(let f) = step(#"{"tool": get_weather arguments: city=Oslo}"#) else {
            Issue.record("expected a failure")
            return
        }
        #expect(f.message.contains("not valid JSON"))
        #expect(f.message.contains(#"{"final": "<answer>"}"#))
    }

    @Test func objectWithNeitherKeyIsAFailure() {
        guard case .failure(let f) = step(#"{"thought": "hmm"}"#) else {
            Issue.record("expected a failure")
            return
        }
        #expect(f.message.contains("\"tool\""))
    }

    @Test func emptyReplyIsAFailure() {
        guard case .failure = step("  \n") else {
            Issue.record("expected a failure")
            return
        }
    }

    @Test func systemPromptListsEveryToolWithItsSchema() {
        let p = ReActProtocol.systemPrompt(tools: tools, base: "You are NEXUS.")
        #expect(p.hasPrefix("You are NEXUS."))
        #expect(p.contains("- get_weather: Current weather for a city"))
        #expect(p.contains(#""required":["city"]"#))
        #expect(p.contains(#"{"final": "#))
    }

    @Test func transcriptTurnsToolTrafficIntoPlainMessages() {
        let call = ToolCall(id: "react_1", name: "get_weather", arguments: ["city": "Oslo"])
        let t = ReActProtocol.transcript([
            .user("weather?"), .assistant("", toolCalls: [call]),
            .toolResult(ToolResult(callID: "react_1", name: "get_weather", content: "rain")),
        ])
        #expect(t[1] == .assistant(#"{"tool":"get_weather","arguments":{"city":"Oslo"}}"#))
        #expect(t[2].role == .user)
        #expect(t[2].content.contains("rain"))
    }
}

@Suite struct JSONRepairTests {
    @Test func validJSONPassesUnchanged() throws {
        #expect(try JSONRepair.parse(#"{"a": [1, 2]}"#).get() == ["a": [1, 2]])
    }

    @Test func quotesInsideSingleQuotedStringsSurvive() throws {
        #expect(try JSONRepair.parse(#"{'say': 'he said "hi"'}"#).get() == ["say": "he said \"hi\""])
    }

    @Test func hopelessTextReportsTheOriginalError() {
        guard case .failure(let e) = JSONRepair.parse("{{{ nope") else {
            Issue.record("expected failure")
            return
        }
        #expect(e.offset >= 0)
    }
}
