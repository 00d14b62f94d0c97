import NexusCore
import Testing

@testable import NexusLLM

@Suite struct SSEParserTests {
    func parseAll(_ chunks: [String]) throws -> [SSEEvent] {
        var p = SSEParser()
        var out: [SSEEvent] = []
        for c in chunks { try p.feed(Array(c.utf8)) { out.append($0) } }
        try p.finish { out.append($0) }
        return out
    }

    let sample =
        "event: message_start\ndata: {\"a\":1}\n\n: comment\n\nid: 7\ndata: line one\ndata: line two\n\nretry: 100\nunknown: x\ndata:no-space\n\n"

    @Test func eventsFieldsAndCommentsFollowTheSpec() throws {
        let events = try parseAll([sample])
        #expect(events.count == 3)
        #expect(events[0] == SSEEvent(event: "message_start", data: Array(#"{"a":1}"#.utf8)))
        #expect(events[1].text == "line one\nline two")
        #expect(events[1].id == "7")
        #expect(events[1].event == nil)
        #expect(events[2].text == "no-space")
    }

    @Test func everySplitPointGivesTheSameEvents() throws {
        let whole = try parseAll([sample])
        let bytes = Array(sample.utf8)
        for cut in 1..<bytes.count {
            var p = SSEParser()
            var out: [SSEEvent] = []
            try p.feed(Array(bytes[..<cut])) { out.append($0) }
            try p.feed(Array(bytes[cut...])) { out.append($0) }
            try p.finish { out.append($0) }
            #expect(out == whole, "split at \(cut)")
        }
    }

    @Test func crlfAndBareCRLineEndingsWork() throws {
        let crlf = try parseAll(["data: a\r\n\r\ndata: b\r", "\n\r\n"])
        #expect(crlf.map(\.text) == ["a", "b"])
        let cr = try parseAll(["data: x\r\rdata: y\r\r"])
        #expect(cr.map(\.text) == ["x", "y"])
    }

    @Test func byteAtATimeFeedingWorks() throws {
        let chunks = sample.utf8.map { String(decoding: [$0], as: UTF8.self) }
        #expect(try parseAll(chunks).count == 3)
    }

    @Test func lastEventWithoutBlankLineIsStillDelivered() throws {
        #expect(try parseAll(["data: tail"]).map(\.text) == ["tail"])
    }

    @Test func oversizedLineIsReportedNotBuffered() {
        var p = SSEParser(maxLineBytes: 100)
        #expect(throws: StreamFramingError.self) {
            try p.feed(Array(repeating: UInt8(ascii: "a"), count: 60)) { _ in }
            try p.feed(Array(repeating: UInt8(ascii: "a"), count: 60)) { _ in }
        }
    }

    @Test func multiByteCharactersSplitAcrossReadsSurvive() throws {
        let text = "data: 日本語 émoji 🎉\n\n"
        let bytes = Array(text.utf8)
        var p = SSEParser()
        var out: [SSEEvent] = []
        for b in bytes { try p.feed([b]) { out.append($0) } }
        #expect(out.first?.text == "日本語 émoji 🎉")
    }
}

@Suite struct NDJSONParserTests {
    @Test func linesSplitAcrossReadsAreReassembled() throws {
        var p = NDJSONParser()
        var lines: [(String, Int)] = []
        for chunk in ["{\"a\":", "1}\n{\"b\"", ":2}\r\n\n  \n{\"c\":3}"] {
            try p.feed(Array(chunk.utf8)) { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
        }
        try p.finish { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
        #expect(lines.map(\.0) == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        #expect(lines.map(\.1) == [1, 2, 5])
    }

    @Test func oversizedLineIsReported() {
        var p = NDJSONParser(maxLineBytes: 10)
        #expect(throws: StreamFramingError.self) {
            try p.feed(Array(repeating: UInt8(ascii: "x"), count: 20)) { _, _ in }
        }
    }
}

@Suite struct ProviderFactoryTests {
    @Test func defaultsAndLocality() throws {
        let anthropic = try ProviderFactory.endpoint(
            config: ProviderConfig(name: "a", kind: .anthropic), environment: ["ANTHROPIC_API_KEY": "k"])
        #expect(anthropic.baseURL == "https://api.anthropic.com")
        #expect(anthropic.apiKey == "k")
        #expect(!anthropic.isLocal)
        let ollama = try ProviderFactory.endpoint(config: ProviderConfig(name: "o", kind: .ollama), environment: [:])
        #expect(ollama.baseURL == "http://127.0.0.1:11434")
        #expect(ollama.isLocal)
        #expect(ollama.apiKeyEnv == nil)
    }

    @Test func environmentOverridesBaseURLs() throws {
        let openai = try ProviderFactory.endpoint(
            config: ProviderConfig(name: "o", kind: .openai),
            environment: ["OPENAI_BASE_URL": "http://localhost:8080/v1/"])
        #expect(openai.baseURL == "http://localhost:8080/v1")
        #expect(openai.isLocal)
        #expect(openai.apiKeyEnv == nil)
        let bare = try ProviderFactory.endpoint(
            config: ProviderConfig(name: "l", kind: .ollama), environment: ["OLLAMA_HOST": "0.0.0.0:11500"])
        #expect(bare.baseURL == "http://127.0.0.1:11500")
        let hostOnly = try ProviderFactory.endpoint(
            config: ProviderConfig(name: "l", kind: .ollama), environment: ["OLLAMA_HOST": "gpu-box"])
        #expect(hostOnly.baseURL == "http://gpu-box:11434")
        #expect(!hostOnly.isLocal)
    }

    /// The factory decides `isLocal` with NexusCore's one loopback rule (`Endpoint.isLoopback`).
    @Test func endpointLocalityFollowsTheOneLoopbackRule() throws {
        func local(_ url: String) throws -> Bool {
            var config = ProviderConfig(name: "p", kind: .openai)
            config.baseURL = url
            return try ProviderFactory.endpoint(config: config, environment: [:]).isLocal
        }
        #expect(try local("http://127.3.4.5:80/v1"))
        #expect(try local("http://[::1]:8080"))
        #expect(try local("http://LOCALHOST"))
        #expect(try !local("http://128.0.0.1"))
        #expect(try !local("https://api.openai.com/v1"))
        #expect(try !local("http://127.0.0.1.evil.com"))
        #expect(try !local("http://127.example.com/v1"))
    }

    @Test func markedLocalCountsAsLocal() throws {
        var c = ProviderConfig(name: "lan", kind: .openai)
        c.baseURL = "http://192.168.1.5:8000/v1"
        c.markedLocal = true
        #expect(try ProviderFactory.make(config: c, environment: [:]).isLocal)
    }

    @Test func nonHTTPBaseURLIsAConfigError() {
        var c = ProviderConfig(name: "bad", kind: .openai)
        c.baseURL = "ftp://x"
        #expect(throws: NexusError.self) { try ProviderFactory.make(config: c, environment: [:]) }
    }
}
