import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under /tmp for one test's home, config or workspace; removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "nexus-test") {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        precondition(made, "mkdtemp failed: \(String(cString: strerror(errno)))")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String, mode: mode_t = 0o644) -> String {
        let p = path + "/" + name
        let fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(fd >= 0, "cannot write \(p)")
        var c = contents
        c.withUTF8 { buf in _ = Glibc.write(fd, buf.baseAddress, buf.count) }
        close(fd)
        return p
    }

    public func remove() {
        // Best-effort clean-up of a test folder in /tmp.
        if let pid = try? ChildProcess.spawn(["rm", "-rf", path], SpawnOptions(searchPath: true)) {
            ChildProcess.wait(pid)
        }
    }
}
