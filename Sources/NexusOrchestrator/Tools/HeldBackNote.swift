import Synchronization

/// The module tool source's last held-back note (`ModuleToolSource.heldBack`) with what it was built from: the
/// host's waiting modules and the registry's lifecycle mark. It exists so that a turn in which neither moved reads no
/// module row: the note's cost then does not grow with the modules installed.
final class HeldBackNote: Sendable {
    private struct Kept {
        var waiting: [String: String]
        var mark: Int
        var lines: [String]
    }

    private let kept = Mutex<Kept?>(nil)

    /// The note built for exactly `waiting` at `mark`; nil when either moved since (or none was built).
    func lines(waiting: [String: String], mark: Int) -> [String]? {
        kept.withLock { k in
            guard let k, k.mark == mark, k.waiting == waiting else { return nil }
            return k.lines
        }
    }

    func keep(_ lines: [String], waiting: [String: String], mark: Int) {
        kept.withLock { $0 = Kept(waiting: waiting, mark: mark, lines: lines) }
    }
}
