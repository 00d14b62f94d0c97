import NexusCore
import NexusPOSIX
import NexusStore

/// A farm scenario's server as a child process, ready once it says it listens. The gate's contract check and
/// `nexus bench openapi` both start scenarios this way.
public struct FarmServer: Sendable {
    public let pid: Int32

    /// The scenarios of the farm in `dir`: each folder holding a server.py, sorted.
    public static func scenarios(in dir: String) -> [String] {
        FileSystem.list(dir).filter { FileSystem.kind(of: dir + "/" + $0 + "/server.py") == .file }.sorted()
    }

    public static func start(dir: String, log: String) -> FarmServer? {
        let errLog = log + ".stderr"
        let argv = ["python3", "-B", dir + "/server.py", "--seed", "1", "--log", log]
        guard
            // nil (no server) is the answer; the caller reports that the farm did not start.
            // Tethered: a nexus ended by Ctrl-C or a signal mid-check ran no clean-up, and the server (its own
            // process group) held its scenario's port for good; the next check used it as "already listening".
            let pid = try? ChildProcess.spawnTethered(
                argv,
                SpawnOptions(
                    stdin: .null, stdout: .null, stderr: .appending(path: errLog), grouping: .newProcessGroup,
                    resetSignals: true, searchPath: true))
        else { return nil }
        let server = FarmServer(pid: pid)
        // Up to 30 s: Python's start takes seconds on a loaded machine, and a check run against a server that
        // is not up yet blames the module for the farm's refusals.
        for _ in 0..<600 {
            // Not written yet: keep waiting.
            if let text = try? FileSystem.readText(errLog), text.contains("listening") { return server }
            if text(errLog).contains("Error") { break }
            Pause.milliseconds(50)
        }
        server.stop()
        return nil
    }

    // Not written yet reads as empty.
    private static func text(_ path: String) -> String { (try? FileSystem.readText(path)) ?? "" }

    /// Why a start failed, for the person and the repair prompt: the last line the server wrote to stderr
    /// (a traceback's error line, such as the port being taken), or that it wrote nothing.
    public static func startProblem(log: String) -> String {
        let last = text(log + ".stderr").split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }
        guard let last else { return "it wrote nothing within 30 s" }
        return String(last.prefix(200))
    }

    public func stop() {
        ProcessControl.send(.terminate, toGroup: pid)
        _ = ChildProcess.reap(pid, within: 2)
    }
}
