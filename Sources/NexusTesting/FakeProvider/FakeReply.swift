import NexusCore

/// The wire protocols the fake provider server speaks, picked per request by its path.
public enum FakeWireProtocol: String, Sendable, CaseIterable {
    case openai, anthropic, gemini, ollama
}

/// One scripted answer of the fake provider server: what the next chat request gets.
///
/// Tests describe behaviour (stream these words, call this tool, rate-limit, drop the connection,
/// serve an HTML error page, never answer) and the server renders it in whichever wire format the request
/// used, so one script exercises all four protocols.
public struct FakeReply: Sendable {
    public enum Action: Sendable {
        /// A streamed answer (SSE or NDJSON, by protocol).
        case stream(FakeStream)
        /// An HTTP error with the protocol's own error body; `message` nil → the provider's usual text.
        case error(status: Int, message: String?, headers: [(String, String)])
        /// An HTML page instead of JSON, as proxies and gateways send.
        case html(status: Int, title: String)
        /// Exactly these bytes, each piece its own write, after `delayMs` (for malformed streams).
        case raw(status: Int, contentType: String, pieces: [String], delayMs: Int)
        /// Read the request, then never answer (until the client gives up or the server stops).
        case hang
    }

    public var action: Action

    public init(_ action: Action) {
        self.action = action
    }

    /// A streamed text answer, one stream event per chunk.
    public static func text(
        _ chunks: String..., usage: FakeUsage? = FakeUsage(input: 12, output: 7), delayMs: Int = 0
    ) -> FakeReply {
        FakeReply(.stream(FakeStream(chunks: chunks, usage: usage, delayMs: delayMs)))
    }

    /// A streamed answer that calls one tool (optionally after some text). `arguments` is sent as given,
    /// so invalid JSON can be scripted.
    public static func toolCall(
        name: String, arguments: String, id: String = "call_1", text: [String] = [],
        usage: FakeUsage? = FakeUsage(input: 20, output: 9)
    ) -> FakeReply {
        FakeReply(
            .stream(
                FakeStream(
                    chunks: text, toolCalls: [FakeToolCall(id: id, name: name, arguments: arguments)], usage: usage)))
    }

    /// An HTTP error with the provider's real error body; 429s may carry `Retry-After`.
    public static func error(_ status: Int, message: String? = nil, retryAfter: String? = nil) -> FakeReply {
        FakeReply(.error(status: status, message: message, headers: retryAfter.map { [("Retry-After", $0)] } ?? []))
    }

    /// Streams `chunks` and then closes the connection without ending the stream.
    public static func drop(after chunks: [String]) -> FakeReply {
        FakeReply(.stream(FakeStream(chunks: chunks, usage: nil, dropAfterChunks: chunks.count)))
    }

    public static func html(_ status: Int = 502, title: String = "502 Bad Gateway") -> FakeReply {
        FakeReply(.html(status: status, title: title))
    }

    public static let hang = FakeReply(.hang)
}

/// A streamed answer: text chunks, tool calls, usage, pacing and damage.
public struct FakeStream: Sendable {
    public var chunks: [String]
    public var toolCalls: [FakeToolCall]
    public var usage: FakeUsage?
    /// Pause before each event after the first, in milliseconds.
    public var delayMs: Int
    /// Close the connection right after this many text chunks (no end-of-stream marker).
    public var dropAfterChunks: Int?
    /// Write every event in two writes split mid-line, so clients must reassemble events.
    public var splitEvents: Bool
    /// Interleave comments, keep-alives and unknown event types a client must ignore.
    public var noise: Bool

    public init(
        chunks: [String], toolCalls: [FakeToolCall] = [], usage: FakeUsage? = FakeUsage(input: 12, output: 7),
        delayMs: Int = 0, dropAfterChunks: Int? = nil, splitEvents: Bool = false, noise: Bool = false
    ) {
        self.chunks = chunks
        self.toolCalls = toolCalls
        self.usage = usage
        self.delayMs = delayMs
        self.dropAfterChunks = dropAfterChunks
        self.splitEvents = splitEvents
        self.noise = noise
    }
}

/// A tool call the fake model makes. `arguments` is raw JSON text (possibly invalid on purpose).
public struct FakeToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// Token counts the fake reports in the protocol's own usage fields.
public struct FakeUsage: Sendable, Equatable {
    public var input: Int
    public var output: Int
    public init(input: Int, output: Int) {
        self.input = input
        self.output = output
    }
}

/// One request the fake server received, for assertions.
public struct RecordedRequest: Sendable {
    public var method: String
    /// Path including the query string.
    public var path: String
    /// Header names lower-cased.
    public var headers: [(String, String)]
    public var body: String
    public var wire: FakeWireProtocol?

    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        return headers.first { $0.0 == n }?.1
    }

    // nil is the answer for a body that is not JSON.
    public var json: JSONValue? { try? JSONValue(parsing: body) }
}
