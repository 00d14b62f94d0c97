import NexusCore
import Synchronization

/// An `LLMProvider` that plays a script in memory, one step per request, and remembers every request.
///
/// It exists so the orchestrator's turn loop — tool calls, failover, privacy, cancellation, the ledger —
/// can be specified in process, through the real `ProviderGateway` and `FailoverRunner`, without a socket.
/// (`FakeProviderServer` is its twin on the wire, for the binary's end-to-end tests.)
public final class ScriptedProvider: LLMProvider {
    /// What one request gets.
    public enum Step: Sendable {
        /// Text streamed in pieces of `pieceSize` characters, then tool calls, usage and finish.
        case reply(text: String, toolCalls: [ToolCall] = [], tokensIn: Int = 10, tokensOut: Int = 5)
        /// The call fails as a provider error of this kind (rate limits, 5xx, refusals...).
        case fail(ProviderError.Kind, message: String = "scripted failure")
        /// Text, then the stream ends without a finish (a dropped connection mid-answer).
        case cut(afterText: String)
        /// Never answers until the call is cancelled (Ctrl-C mid-call).
        case hang
    }

    public let name: String
    public let kind: ProviderKind
    public let isLocal: Bool
    public let pieceSize: Int
    private let steps: Mutex<[Step]>
    private let recorded = Mutex<[LLMRequest]>([])

    public init(
        name: String = "fake", kind: ProviderKind = .openai, isLocal: Bool = true, pieceSize: Int = 4,
        steps: [Step] = []
    ) {
        self.name = name
        self.kind = kind
        self.isLocal = isLocal
        self.pieceSize = max(1, pieceSize)
        self.steps = Mutex(steps)
    }

    /// Adds steps to the end of the script.
    public func enqueue(_ more: Step...) { steps.withLock { $0 += more } }

    /// Every request received, in order.
    public var requests: [LLMRequest] { recorded.withLock { $0 } }

    /// Steps not yet played.
    public var remainingSteps: Int { steps.withLock { $0.count } }

    public func stream(_ request: LLMRequest) -> AsyncThrowingStream<LLMStreamEvent, any Error> {
        recorded.withLock { $0.append(request) }
        let step = steps.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        let name = self.name
        let pieceSize = self.pieceSize
        return AsyncThrowingStream { continuation in
            let task = Task {
                guard let step else {
                    continuation.finish(
                        throwing: ProviderError(.invalidResponse, provider: name, message: "script exhausted"))
                    return
                }
                switch step {
                case .reply(let text, let calls, let tokensIn, let tokensOut):
                    for piece in Self.pieces(text, size: pieceSize) { continuation.yield(.text(piece)) }
                    for call in calls { continuation.yield(.toolCall(call)) }
                    continuation.yield(.usage(inputTokens: tokensIn, outputTokens: tokensOut))
                    continuation.yield(.finish(reason: calls.isEmpty ? "stop" : "tool_calls"))
                    continuation.finish()
                case .fail(let kind, let message):
                    continuation.finish(throwing: ProviderError(kind, provider: name, message: message))
                case .cut(let text):
                    for piece in Self.pieces(text, size: pieceSize) { continuation.yield(.text(piece)) }
                    continuation.finish(throwing: ProviderError(.streamCut, provider: name, message: "stream cut"))
                case .hang:
                    // Task.sleep throws only on cancellation, which the caller checks next.
                    while !Task.isCancelled { try? await Task.sleep(nanoseconds: 5_000_000) }
                    continuation.finish(throwing: CancellationError())
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func listModels() async throws -> [String] { ["scripted"] }

    static func pieces(_ text: String, size: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            out.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return out
    }
}
