import NexusCore

/// The argv that runs a command through the jailer (`nexus sandbox exec ...`), for the orchestrator,
/// the module loader and module tests: one way in, so every untrusted process gets the same layers.
///
/// ```swift
/// let argv = JailInvocation(mode: .validate, workspace: dir, allowHosts: ["api.example.com"],
///                           env: ["API_KEY": key], timeout: 60, memory: 512,
///                           command: ["python3", "test_adapter.py"]).arguments(nexusExecutable: exe)
/// ```
public struct JailInvocation: Sendable, Equatable {
    public var mode: SandboxMode
    public var workspace: String?
    public var allowHosts: [String]
    /// Environment for the command (nothing else of nexus's environment reaches it).
    public var env: [(String, String)]
    /// Seconds; nil = the mode's configured limit; 0 = none (long-lived module processes).
    public var timeout: Double?
    /// Megabytes; nil = the mode's configured limit.
    public var memory: Int?
    public var command: [String]
    /// Where the jailer writes the `SandboxResult` JSON.
    public var resultJSON: String?
    /// Capture stdout/stderr (bounded, redacted) into the result instead of passing them through.
    public var capture: Bool
    /// Environment values that are secrets: passed to the command, redacted from captured output.
    public var secretEnv: [(String, String)]
    /// Mount the workspace read-only in every mode (`--workspace-readonly`: approved code is immutable).
    public var workspaceReadOnly = false
    /// Host directory bound read-write at /data, the command's cwd and HOME (`--data-dir`).
    public var dataDir: String?
    /// Host paths bound read-only / read-write at the same path (`--ro-path`, `--rw-path`).
    public var readOnlyPaths: [String] = []
    public var readWritePaths: [String] = []
    /// CPU-time limit in seconds (`--cpu-seconds`); nil = the timeout's.
    public var cpuSeconds: Int?
    /// Largest file the command may write (`--file-size-mb`); nil = 64.
    public var fileSizeMB: Int?
    /// nexus's real home and config (`--home`, `--config`): the audit log, config and forbidden paths
    /// come from these, whatever HOME the caller's environment says.
    public var home: String?
    public var config: String?
    /// Run even when a layer is missing (`--allow-degraded`); the result says DEGRADED.
    public var allowDegraded = false
    /// Who the run is for (`--label`, a module's name), written with each audit record.
    public var label: String?
    /// The process the run must not outlive (`--parent-pid`), normally the caller's own pid.
    public var parentPID: Int32?

    public init(
        mode: SandboxMode, workspace: String? = nil, allowHosts: [String] = [], env: [String: String] = [:],
        timeout: Double? = nil, memory: Int? = nil, command: [String], resultJSON: String? = nil,
        capture: Bool = false, secretEnv: [String: String] = [:]
    ) {
        self.mode = mode
        self.workspace = workspace
        self.allowHosts = allowHosts
        self.env = env.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.timeout = timeout
        self.memory = memory
        self.command = command
        self.resultJSON = resultJSON
        self.capture = capture
        self.secretEnv = secretEnv.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `[nexusExecutable, "sandbox", "exec", ..., "--", command...]`.
    public func arguments(nexusExecutable: String) -> [String] {
        var a = [nexusExecutable, "sandbox", "exec", "--mode", mode.rawValue]
        if let home { a += ["--home", home] }
        if let config { a += ["--config", config] }
        if let workspace { a += ["--workspace", workspace] }
        if workspaceReadOnly { a.append("--workspace-readonly") }
        if let dataDir { a += ["--data-dir", dataDir] }
        for p in readOnlyPaths { a += ["--ro-path", p] }
        for p in readWritePaths { a += ["--rw-path", p] }
        if let cpuSeconds { a += ["--cpu-seconds", String(cpuSeconds)] }
        if let fileSizeMB { a += ["--file-size-mb", String(fileSizeMB)] }
        if allowDegraded { a.append("--allow-degraded") }
        if let label { a += ["--label", label] }
        if let parentPID { a += ["--parent-pid", String(parentPID)] }
        for h in allowHosts { a += ["--allow-host", h] }
        for (k, v) in env { a += ["--env", "\(k)=\(v)"] }
        for (k, v) in secretEnv { a += ["--secret-env", "\(k)=\(v)"] }
        if let timeout {
            a += [
                "--timeout", timeout == timeout.rounded() ? String(Seconds.wholeRoundedUp(timeout)) : String(timeout),
            ]
        }
        if let memory { a += ["--memory", String(memory)] }
        if let resultJSON { a += ["--result-json", resultJSON] }
        if capture { a.append("--capture") }
        a.append("--")
        return a + command
    }

    public static func == (a: JailInvocation, b: JailInvocation) -> Bool {
        a.arguments(nexusExecutable: "nexus") == b.arguments(nexusExecutable: "nexus")
    }
}
