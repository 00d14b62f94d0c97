import NexusCore
import Synchronization

/// A shared, swappable reference to the current `Redactor`, for writers that exist before the vault
/// is open (logs, history, the event writer, the terminal).
///
/// Writers hold the handle and call `redact`; it starts as `Redactor.empty`, and once
/// `CredentialStore.attach(_:)` has been called the store swaps a fresh snapshot in after every
/// change. Swapping is one lock-protected assignment, so a writer always sees a whole snapshot.
public final class RedactorHandle: SecretScrubber {
    private let state: Mutex<Redactor>

    public init(_ initial: Redactor = .empty) {
        state = Mutex(initial)
    }

    /// The snapshot in force now.
    public var current: Redactor { state.withLock { $0 } }

    public func replace(with redactor: Redactor) {
        state.withLock { $0 = redactor }
    }

    public func redact(_ s: String) -> String { current.redact(s) }

    public func redact(bytes: [UInt8]) -> [UInt8] { current.redact(bytes: bytes) }

    public func redactSettled(_ s: String) -> (settled: String, held: String) { current.redactSettled(s) }
}
