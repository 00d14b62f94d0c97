import NexusPOSIX

/// A fresh directory under /tmp for one test's home, config or workspace; removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "nexus-test") {
        do {
            path = try FileSystem.makeUniqueDirectory(in: "/tmp", prefix: prefix + "-")
        } catch {
            preconditionFailure("cannot make a test folder: \(error.userMessage)")
        }
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String, mode: UInt32 = 0o644) -> String {
        let p = path + "/" + name
        do {
            try FileSystem.writeAtomically(p, text: contents, mode: mode)
        } catch {
            preconditionFailure("cannot write a test file: \(error.userMessage)")
        }
        return p
    }

    public func remove() {
        // Best-effort clean-up of a test folder in /tmp.
        if let pid = try? ChildProcess.spawn(["rm", "-rf", path], SpawnOptions(searchPath: true)) {
            ChildProcess.wait(pid)
        }
    }
}
