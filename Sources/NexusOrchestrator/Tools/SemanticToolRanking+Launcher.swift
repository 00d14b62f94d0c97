import NexusCore
import NexusLLM
import NexusPOSIX
import Synchronization

/// Starts the local embedder that `scripts/embedder.sh setup` installed (all-MiniLM-L6-v2 on onnxruntime, in
/// `$NEXUS_HOME/embedder`), so that turning semantic ranking on is one step: install it, and set `[embeddings]
/// url` to a loopback address. The picker's background build calls `ensureRunning()` before its first request,
/// so no turn waits on the model loading: turns stay lexical until it answers.
///
/// Nothing is started when the URL is not on loopback, when something already answers there (the user's own
/// server), or when the embedder is not installed. The child is stopped by `stop()` at shutdown, and watches its
/// parent, so it also ends when nexus is killed.
final class EmbedderLauncher: Sendable {
    let home: String
    let host: String
    let port: Int
    private let child = Mutex<Int32>(0)

    /// nil when `url` is not an http URL on an IPv4 loopback address (only those are nexus's to start).
    init?(home: String, url: String) {
        guard url.hasPrefix("http://"), let host = Endpoint.host(of: url), Endpoint.isLoopback(host: host),
            !host.contains(":")
        else { return nil }
        let authority = url.dropFirst("http://".count).prefix { $0 != "/" }
        let port = authority.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 80
        self.home = home
        self.host = host
        self.port = port
    }

    var directory: String { home + "/embedder" }
    var python: String { directory + "/venv/bin/python" }
    var script: String { directory + "/minilm-embed.py" }
    var installed: Bool { FileSystem.kind(of: python) != .missing && FileSystem.kind(of: script) == .file }

    /// Something answers at the URL's address: already running (ours or the user's), or started now. Throws
    /// when the embedder is needed but not installed, exits during start-up, or does not listen within 60 s.
    func ensureRunning() async throws(EmbeddingError) {
        if TCPProbe.isListening(host: host, port: port) { return }
        let url = "http://\(host):\(port)"
        guard installed else {
            throw .unreachable(
                url: url,
                reason: "nothing listens there and the local embedder is not installed "
                    + "(scripts/embedder.sh setup installs it; nexus then starts it)")
        }
        let pid: Int32
        do { pid = try start() } catch {
            throw .unreachable(url: url, reason: "could not start the local embedder: \(error)")
        }
        let t0 = MonotonicClock.nanoseconds()
        while MonotonicClock.millisSince(t0) < 60_000 {
            if TCPProbe.isListening(host: host, port: port) { return }
            if ChildProcess.exitedStatus(pid) != nil {
                child.withLock { if $0 == pid { $0 = 0 } }
                throw .unreachable(url: url, reason: "the local embedder exited during start-up; see \(log)")
            }
            do { try await Task.sleep(nanoseconds: 100_000_000) } catch { break }
        }
        stop()
        throw .unreachable(url: url, reason: "the local embedder did not listen within 60 s; see \(log)")
    }

    var log: String { home + "/logs/embedder.log" }

    private func start() throws -> Int32 {
        try child.withLock { child throws -> Int32 in
            if child != 0, ChildProcess.exitedStatus(child) == nil { return child }
            // The logs directory exists in a set-up home; when it does not, the spawn below fails and says so.
            try? FileSystem.ensureDirectory(home + "/logs")
            let argv = [
                python, script, "serve", "--port", String(port), "--parent-pid", String(ProcessControl.currentID),
            ]
            let options = SpawnOptions(
                stdin: .null, stdout: .appending(path: log), stderr: .sameAsStdout,
                environment: [
                    "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_CACHE_HOME": directory + "/cache",
                ],
                // Its own process group: a Ctrl-C typed at the terminal never reaches the embedder.
                grouping: .newProcessGroup)
            child = try ChildProcess.spawn(argv, options)
            return child
        }
    }

    /// Stops the embedder if this process started it.
    func stop() {
        let pid = child.withLock { pid in
            defer { pid = 0 }
            return pid
        }
        guard pid != 0 else { return }
        _ = ProcessControl.send(.terminate, to: pid)
        _ = ChildProcess.reap(pid, within: 1)
    }
}
