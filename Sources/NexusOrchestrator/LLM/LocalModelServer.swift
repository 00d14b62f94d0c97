import NexusCore
import NexusPOSIX
import NexusStore

/// The local default (issue 3 §10): a llama.cpp server with the SmolLM2 GGUF, installed by `make run`
/// into `$NEXUS_HOME/local-model/venv`, started on loopback the first time the `local` provider is
/// used, and stopped when nexus exits.
public actor LocalModelServer {
    public struct Setup: Sendable, Equatable {
        public var python: String
        public var modelPath: String
    }

    let home: String
    let bus: EventBus
    var child: Int32 = 0
    var ready = false

    public init(home: String, bus: EventBus) {
        self.home = home
        self.bus = bus
    }

    /// Where `make run` installs the local model (see scripts/local-default.sh).
    public static func setup(home: String) -> Setup? {
        let root = home + "/local-model"
        let python = root + "/venv/bin/python"
        guard FileSystem.kind(of: python) != .missing else { return nil }
        // No model-path file: the local model is not installed, which the caller reports.
        guard let model = (try? FileSystem.readText(root + "/model-path"))?.trimmingSpaces, !model.isEmpty,
            FileSystem.kind(of: model) == .file
        else { return nil }
        return Setup(python: python, modelPath: model)
    }

    /// Makes sure something answers at `host:port`: already running (ours or the user's), or started now.
    public func ensureRunning(host: String, port: Int, turn: Int) async throws {
        if ready && ProcessControl.isAlive(child) { return }
        if Self.isListening(host: host, port: port) {
            ready = true
            return
        }
        guard let setup = Self.setup(home: home) else {
            throw NexusError(
                "the local model server is not running on \(host):\(port) and is not installed",
                hint:
                    "run `make run` once to set up the local model, start your own OpenAI-compatible server there, or configure a provider (nexus doctor)"
            )
        }
        bus.publish(turn: turn, .notice("starting the local model server (llama.cpp, SmolLM2) on \(host):\(port)…"))
        let log = home + "/logs/local-model.log"
        let argv = [
            setup.python, "-m", "llama_cpp.server", "--model", setup.modelPath, "--model_alias", "smollm2",
            "--host", host, "--port", String(port), "--n_ctx", "8192",
        ]
        child = try Self.spawn(argv, log: log)
        let start = MonotonicClock.nanoseconds()
        var lastNote = start
        while MonotonicClock.millisSince(start) < 120_000 {
            if Self.isListening(host: host, port: port) {
                ready = true
                bus.publish(
                    turn: turn, .notice("local model server ready (\(Int(MonotonicClock.millisSince(start))) ms)"))
                return
            }
            if ChildProcess.exitedStatus(child) != nil {
                child = 0
                throw NexusError("the local model server exited during start-up", hint: "see \(log)")
            }
            if MonotonicClock.millisSince(lastNote) > 5000 {
                lastNote = MonotonicClock.nanoseconds()
                bus.publish(
                    turn: turn,
                    .notice("still loading the local model… (\(Int(MonotonicClock.millisSince(start) / 1000)) s)"))
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        stop()
        throw NexusError("the local model server did not answer within 120 s", hint: "see \(log)")
    }

    /// Stops the server if this process started it.
    public func stop() {
        guard child != 0 else { return }
        ProcessControl.send(.terminate, to: child)
        ChildProcess.reap(child, within: 1)
        child = 0
    }

    static func spawn(_ argv: [String], log: String) throws -> Int32 {
        // Its own process group: a Ctrl-C typed at the terminal cancels the turn, and never reaches the server.
        // Tethered: nexus ended by SIGTERM (`timeout`, a closed terminal's hang-up) or SIGKILL stops nothing by
        // hand, and the server ran on, holding its port, until someone found it.
        let options = SpawnOptions(
            stdin: .null, stdout: .appending(path: log), stderr: .sameAsStdout,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"], grouping: .newProcessGroup)
        do {
            return try ChildProcess.spawnTethered(argv, options)
        } catch {
            throw NexusError(error.description, hint: "re-run `make run` to reinstall the local model")
        }
    }

    /// A TCP connect to an IPv4 loopback or literal address; true when something accepts.
    static func isListening(host: String, port: Int) -> Bool { TCPProbe.isListening(host: host, port: port) }
}
