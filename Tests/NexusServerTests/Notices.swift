import Synchronization

/// The notice lines an admin server or channel reported, collected for a test to read.
final class Notices: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var add: @Sendable (String) -> Void { { [self] line in lines.withLock { $0.append(line) } } }

    /// Waits up to `seconds` for a line containing `text`.
    func wait(for text: String, seconds: Double = 10) async -> Bool {
        for _ in 0..<Int(seconds * 20) {
            if all.contains(where: { $0.contains(text) }) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
