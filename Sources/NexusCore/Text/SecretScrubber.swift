import Synchronization

/// What a writer outside the vault needs to keep secrets out of text: the whole-text redaction, and the
/// settled part of text still arriving in pieces. The vault's `Redactor` and `RedactorHandle` are one;
/// layers that must not import the vault (the orchestrator, the faces) are handed one of these.
public protocol SecretScrubber: Sendable {
    /// `text` with every known secret replaced.
    func redact(_ text: String) -> String
    /// The redacted part of `text` no later text can change, and the raw rest to hold back for now.
    func redactSettled(_ text: String) -> (settled: String, held: String)
}

/// Scrubs nothing: for sessions with an empty vault, and for tests that are not about secrets.
public struct NoSecrets: SecretScrubber {
    public init() {}
    public func redact(_ text: String) -> String { text }
    public func redactSettled(_ text: String) -> (settled: String, held: String) { (text, "") }
}

/// A stream of text pieces (a model's tokens) redacted as a whole: a secret split across pieces is
/// caught because each piece is joined to the held-back tail of the ones before it. Only that tail
/// (one byte less than the longest secret spelling) waits; `finish` lets it out, redacted, at the end.
public final class ScrubbedStream: Sendable {
    private let scrubber: any SecretScrubber
    private let held = Mutex("")

    public init(_ scrubber: any SecretScrubber) { self.scrubber = scrubber }

    /// The text safe to show now (possibly empty) after `piece`.
    public func push(_ piece: String) -> String {
        held.withLock { h in
            let (settled, rest) = scrubber.redactSettled(h + piece)
            h = rest
            return settled
        }
    }

    /// What was held back, redacted; the stream is empty afterwards.
    public func finish() -> String {
        let rest = held.withLock { h in
            defer { h = "" }
            return h
        }
        return rest.isEmpty ? "" : scrubber.redact(rest)
    }
}
