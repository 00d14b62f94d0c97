import NexusCore
import NexusTesting
import Testing

@testable import NexusLLM

/// An OpenAI-style stream of one tool call whose name or arguments arrive as one letter and 150,000 combining marks
/// out of canonical order, in 5,000 pieces of 30: each piece is short enough to keep its order as JSON reads it
/// (`MarkOrder`), the text they make together is not.
private func pieceByPieceCall(name: String, arguments: String) -> [String] {
    let piece = String(repeating: "\u{0301}\u{0316}", count: 15)
    func chunk(_ call: String, finish: String? = nil) -> String {
        let reason = finish.map { "\"" + $0 + "\"" } ?? "null"
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[" + call + "]},\"finish_reason\":"
            + reason + "}]}\n\n"
    }
    let first = #"{"index":0,"id":"c1","type":"function","function":{"name":""# + name + #"","arguments":""}}"#
    let field = arguments.isEmpty ? "name" : "arguments"
    let middle = #"{"index":0,"function":{""# + field + #"":""# + piece + #""}}"#
    let last = #"{"index":0,"function":{"arguments":""# + arguments + #""}}"#
    return [
        chunk(first),
        String(repeating: chunk(middle), count: 5_000),
        chunk(last, finish: "tool_calls"), "data: [DONE]\n\n",
    ]
}

/// What a fake server of `wire` streaming `pieces` as one answer gave, and how long reading it took (ms).
private func streamed(_ pieces: [String], as wire: FakeWireProtocol) async throws -> (Collected, Double) {
    let server = try FakeProviderServer()
    defer { server.stop() }
    server.enqueue(FakeReply(.raw(status: 200, contentType: "text/event-stream", pieces: pieces, delayMs: 0)))
    let start = MonotonicClock.nanoseconds()
    let c = await collect(try makeProvider(wire, server: server).stream(ask("hi")))
    return (c, MonotonicClock.millisSince(start))
}

/// Specs of a model server's words made of long runs of combining marks: nexus reads them in time linear in their
/// length, and what it then does with them (compare a tool's name with the offered ones) stays linear too.
@Suite struct StreamedMarksSpecs {
    @Test func aToolNameStreamedInPiecesOfThirtyMarksComparesWithToolNamesInLinearTime() async throws {
        let (c, _) = try await streamed(pieceByPieceCall(name: "a", arguments: ""), as: .openai)
        let name = try #require(c.toolCalls.first?.name)
        let start = MonotonicClock.nanoseconds()
        // What the executor does with a call's name: look it up among the offered tools (17 s each before).
        let known = name == "read_file" || Set(["read_file", "write_file"]).contains(name)
        let ms = MonotonicClock.millisSince(start)
        #expect(!known)  // a Bool: a failed expectation prints its operands
        #expect(name.unicodeScalars.count == 1 + 150_000)
        #expect(ms < 5_000, "took \(ms) ms")
    }

    @Test func toolArgumentsStreamedInPiecesOfThirtyMarksAreReadInLinearTime() async throws {
        // The joined arguments are not JSON (the marks, then an object): the repair looks for the object's
        // first brace, comparing each character with "{" and "[" (17 s each before).
        let (c, ms) = try await streamed(pieceByPieceCall(name: "search", arguments: #"{\"q\": 1}"#), as: .openai)
        #expect(c.toolCalls.first?.arguments["q"]?.intValue == 1)
        #expect(ms < 5_000, "took \(ms) ms")
    }

    @Test func anEventNameOfOneLetterAndManyMarksIsReadInLinearTime() async throws {
        // Anthropic's decoder takes the SSE event's name for an event whose JSON has no "type", and compares it
        // with the eight it knows: about 40 s before.
        let name = "a" + String(repeating: "\u{0301}\u{0316}", count: 75_000)
        let pieces = [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n",
            "event: " + name + "\ndata: {}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        ]
        let (c, ms) = try await streamed(pieces, as: .anthropic)
        #expect(c.text == "hi")
        #expect(c.error == nil)
        #expect(ms < 5_000, "took \(ms) ms")
    }

    @Test func aReActReplyStreamedInPiecesOfThirtyMarksIsParsedInLinearTime() async throws {
        // A small model's reply text, joined from 5,000 pieces: the ReAct reader first asks whether it holds a "{",
        // one character at a time (17 s before).
        let piece = String(repeating: "\u{0301}\u{0316}", count: 15)
        func chunk(_ text: String) -> String {
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}\n\n"
        }
        let pieces = [
            chunk("a"), String(repeating: chunk(piece), count: 5_000),
            chunk(#"{\"tool\": \"search\", \"arguments\": {\"q\": \"x\"}}"#),
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
        ]
        let (c, _) = try await streamed(pieces, as: .openai)
        let start = MonotonicClock.nanoseconds()
        let tools = [ToolDefinition(name: "search", description: "Web search")]
        let step = ReActProtocol.parse(c.text, tools: tools, callID: "c1")
        let ms = MonotonicClock.millisSince(start)
        guard case .success(.toolCall(let call)) = step else {
            Issue.record("not a tool call")
            return
        }
        #expect(call.name == "search")
        #expect(ms < 5_000, "took \(ms) ms")
    }
}
