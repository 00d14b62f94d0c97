import Dispatch
import NexusCore
import NexusModules
import NexusPOSIX
import Synchronization

/// Runs a `FakeMCPServer` inside the test process, behind the same pipes a module process would have, and
/// hands the module host a `LaunchedProcess` it can talk to, end and reap like any other.
///
/// The host's contract is a real child: a pid and process group it signals and waits for. So the server's
/// lifetime is stood for by a tiny placeholder child (`sh`, reading one line: the exit status) in its own
/// process group. Ending input ends the server and lets the placeholder exit 0; a scripted crash closes the
/// server's pipes and makes the placeholder exit with the crash's status; the host's SIGTERM ends it as
/// "stopped by nexus". The protocol, the tools and their timing all run here, where a test can inspect them.
public enum InProcessMCPServer {
    /// Starts `script` for `spec` (its environment is the server's) and returns the process the host sees
    /// and the server, whose `received` requests a test may read.
    public static func start(_ script: FakeMCPScript, spec: LaunchSpec) throws -> (LaunchedProcess, FakeMCPServer) {
        func fail(_ what: String) -> LaunchError {
            LaunchError(module: spec.module, command: spec.command, reason: "in-process MCP server: \(what)")
        }
        var opened: [Int32] = []
        func pipe() throws -> [Int32] {
            guard let p = GNULibC.cloexecPipe() else {
                for fd in opened { Descriptor.close(fd) }
                throw fail("pipe: \(SystemError.currentText)")
            }
            opened += p
            return p
        }
        let toServer = try pipe()
        let fromServer = try pipe()
        let errors = try pipe()
        let lifeline = try pipe()
        let pid: Int32
        do {
            pid = try ChildProcess.spawn(
                ["/bin/sh", "-c", "read status; exit ${status:-0}"],
                SpawnOptions(
                    stdin: .descriptor(lifeline[0]), stdout: .null, stderr: .null, environment: ["PATH": "/bin"],
                    grouping: .newProcessGroup, resetSignals: true))
        } catch {
            for fd in opened { Descriptor.close(fd) }
            throw fail(error.description)
        }
        Descriptor.close(lifeline[0])
        let ends = ServerEnds(stdout: fromServer[1], stderr: errors[1], lifeline: lifeline[1])
        let server = FakeMCPServer(
            script: script, environment: spec.environment,
            wire: .init(
                send: { ends.write(\.stdout, $0 + "\n") }, log: { ends.write(\.stderr, $0 + "\n") },
                exit: { ends.close(status: $0) }))
        let input = toServer[0]
        DispatchQueue(label: "in-process-mcp-\(spec.module)").async {
            server.serve(input: input)
            Descriptor.close(input)
            ends.close(status: 0)
        }
        let process = LaunchedProcess(
            pid: pid, processGroup: pid, stdin: toServer[1], stdout: fromServer[0], stderr: errors[0])
        return (process, server)
    }

    /// The server's write ends, closed once: nothing is written to a descriptor number after it is closed
    /// (and perhaps reused by another file).
    final class ServerEnds: Sendable {
        struct Ends {
            var stdout: Int32
            var stderr: Int32
            var lifeline: Int32
            var closed = false
        }
        private let ends: Mutex<Ends>

        init(stdout: Int32, stderr: Int32, lifeline: Int32) {
            ends = Mutex(Ends(stdout: stdout, stderr: stderr, lifeline: lifeline))
        }

        func write(_ which: KeyPath<Ends, Int32>, _ text: String) {
            ends.withLock { e in
                guard !e.closed else { return }
                // A client that went away makes this fail with EPIPE (nexus ignores SIGPIPE): nothing to do.
                _ = Descriptor.writeAll(e[keyPath: which], Array(text.utf8))
            }
        }

        /// Closes the server's output and lets the placeholder child exit with `status`.
        func close(status: Int32) {
            ends.withLock { e in
                guard !e.closed else { return }
                e.closed = true
                Descriptor.close(e.stdout)
                Descriptor.close(e.stderr)
                _ = Descriptor.writeAll(e.lifeline, Array("\(status)\n".utf8))
                Descriptor.close(e.lifeline)
            }
        }
    }
}
