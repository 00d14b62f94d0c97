import NexusCore

/// A parsed, validated `nexus sandbox exec` request: everything the jailer needs, with limits
/// resolved from flags, then nexus.toml, then the mode's defaults.
public struct JailOptions: Sendable {
    public var mode: SandboxMode
    public var workspace: String?
    public var allowRules: [HostRule]
    /// `HOST=IP` pins the proxy uses instead of DNS (fixtures, tests); still subject to address checks.
    public var resolve: [String: String]
    public var env: [(String, String)]
    public var secrets: [String]
    public var timeoutSeconds: Double
    public var memoryMB: Int
    public var command: [String]
    public var capture: Bool
    public var resultJSON: String?
    /// The sandbox audit log (JSON Lines): each proxy decision as it is made, and the run's end.
    public var auditLog: String?
    /// Who the run is for (`--label`, a module's name): written with each audit record, so the serving
    /// nexus counts egress per module. Set by the launcher, never by the sandboxed command.
    public private(set) var label: String?
    /// The process the run must not outlive (`--parent-pid`, the jailer's parent: nexus passes its own pid for
    /// module processes). When it exits, however it ends (SIGKILL, a crash), the sandbox is stopped: a module
    /// that ignores the end of its stdin would otherwise run on, unsupervised, with its network allowlist.
    public private(set) var parentPID: Int32?
    /// Write the run's end to the audit log (`--no-run-record` turns it off for callers that publish
    /// the run themselves, as the module gate does).
    public var recordRun = true
    /// Directory for recorded responses (integration mode).
    public var recordDir: String?
    public var allowDegraded: Bool
    /// Host paths bound at the same path (`--ro-path`, `--rw-path`), parents before what they contain.
    public private(set) var grants: [PathGrant] = []
    /// Host directory bound read-write at /data, the command's working directory and HOME (`--data-dir`).
    public private(set) var dataDir: String?
    /// Mount the workspace read-only even in validate and integration modes (`--workspace-readonly`).
    public var workspaceReadOnly = false
    /// CPU-time limit in seconds (`--cpu-seconds`); 0 = none beyond the one the wall-clock timeout implies.
    public private(set) var cpuSeconds = 0
    /// Largest file the command may write, in megabytes (`--file-size-mb`).
    public private(set) var fileSizeMB = 64
    public var openFiles = 256
    public var processes = 128
    public var outputLimitBytes = 64 * 1024
    public var maxConnections = 32
    public var maxProxyBytes = 256 * 1024 * 1024

    /// Validates raw flag values. `hostEnvironment` supplies values for `--env NAME` without `=`.
    public init(
        mode modeName: String, workspace: String?, allowHosts: [String], env: [String], secretEnv: [String],
        resolve: [String], timeout: Double?, memoryMB: Int?, command: [String], capture: Bool, resultJSON: String?,
        auditLog: String?, recordDir: String?, config: SandboxConfig, hostEnvironment: [String: String]
    ) throws(SandboxError) {
        if hostEnvironment["NEXUS_SANDBOX"] != nil {
            throw .isolationUnavailable(
                "nested sandbox: this process already runs inside a nexus sandbox",
                hint: "run the command directly; it is already confined")
        }
        mode = try SandboxMode.parse(modeName)
        guard let first = command.first, !first.isEmpty else {
            throw .badArgument(
                "command", "missing", hint: "put the command after --, e.g. nexus sandbox exec -- python3 -c pass")
        }
        self.command = command
        if let ws = workspace {
            self.workspace = try Self.checkWorkspace(ws)
        }
        var rules: [HostRule] = []
        for h in allowHosts {
            do { rules.append(try HostRule.parse(h)) } catch {
                throw .badArgument(error.subject, error.why, hint: error.hint ?? "")
            }
        }
        allowRules = rules
        var pins: [String: String] = [:]
        for r in resolve {
            let parts = r.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, HostRule.isHostName(parts[0].lowercased()), IPAddress(parsing: parts[1]) != nil
            else {
                throw .badArgument(
                    "--resolve \(r)", "expected HOST=IP", hint: "e.g. --resolve api.example.com=93.184.216.34")
            }
            pins[parts[0].lowercased()] = parts[1]
        }
        self.resolve = pins
        var e: [(String, String)] = []
        var s: [String] = []
        for (list, secret) in [(env, false), (secretEnv, true)] {
            for item in list {
                let name: String
                let value: String
                if let eq = item.firstIndex(of: "=") {
                    name = String(item[..<eq])
                    value = String(item[item.index(after: eq)...])
                } else {
                    name = item
                    guard let v = hostEnvironment[item] else {
                        throw .badArgument(
                            "--env \(item)", "not set in nexus's environment", hint: "use --env NAME=VALUE")
                    }
                    value = v
                }
                guard !name.isEmpty,
                    name.utf8.allSatisfy({ $0 == 95 || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
                    )
                else { throw .badArgument("--env \(item)", "not a valid variable name", hint: "use --env NAME=VALUE") }
                e.append((name, value))
                if secret || Redactor.looksSecret(name) { s.append(value) }
            }
        }
        self.env = e
        secrets = s
        let limits = mode.limits(from: config)
        if let t = timeout, !(t >= 0 && t <= 86400) {
            throw .badArgument(
                "--timeout", "\(t) is not a number of seconds from 0 to 86400", hint: "0 means no timeout")
        }
        timeoutSeconds = timeout ?? limits.timeoutSeconds
        if let m = memoryMB, !(16...1_048_576).contains(m) {
            throw .badArgument("--memory", "\(m) MB is outside 16..1048576", hint: "e.g. --memory 256")
        }
        self.memoryMB = memoryMB ?? limits.memoryMB
        self.capture = capture
        self.resultJSON = resultJSON
        self.auditLog = auditLog
        self.recordDir = recordDir
        allowDegraded = config.allowDegraded
    }

    /// Sets `--label`: 1 to 128 bytes of letters, digits and `_.:/@+-` (a module name fits).
    public mutating func setLabel(_ raw: String?) throws(SandboxError) {
        guard let raw else { return }
        let ok =
            !raw.isEmpty && raw.utf8.count <= 128
            && raw.utf8.allSatisfy { b in
                (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || "_.:/@+-".utf8.contains(b)
            }
        guard ok else {
            throw .badArgument(
                "--label \(raw)", "expected 1 to 128 letters, digits or _.:/@+-", hint: "pass the module's name")
        }
        label = raw
    }

    /// Sets `--parent-pid`: a process id above 1.
    public mutating func setParentPID(_ raw: Int?) throws(SandboxError) {
        guard let raw else { return }
        guard raw > 1, raw <= Int(Int32.max) else {
            throw .badArgument(
                "--parent-pid \(raw)", "not a process id", hint: "pass the pid of the process that started the run")
        }
        parentPID = Int32(raw)
    }

    /// Whether /workspace is mounted read-write.
    public var workspaceWritable: Bool { mode.workspaceWritable && !workspaceReadOnly }

    /// The CPU seconds RLIMIT_CPU gets: `--cpu-seconds`, else one more than the wall-clock timeout.
    public var effectiveCPUSeconds: Int {
        let fromTimeout = timeoutSeconds > 0 ? Seconds.wholeRoundedUp(timeoutSeconds) + 1 : 0
        if cpuSeconds > 0 { return fromTimeout > 0 ? min(cpuSeconds, fromTimeout) : cpuSeconds }
        return fromTimeout
    }

    /// Sets `--cpu-seconds` (0 = none) and `--file-size-mb` (nil = keep 64).
    public mutating func setLimits(cpuSeconds: Int?, fileSizeMB: Int?) throws(SandboxError) {
        if let c = cpuSeconds {
            guard (0...86400).contains(c) else {
                throw .badArgument("--cpu-seconds", "\(c) is outside 0..86400", hint: "0 means no CPU-time limit")
            }
            self.cpuSeconds = c
        }
        if let f = fileSizeMB {
            guard (1...1_048_576).contains(f) else {
                throw .badArgument("--file-size-mb", "\(f) MB is outside 1..1048576", hint: "e.g. --file-size-mb 64")
            }
            self.fileSizeMB = f
        }
    }

    /// Adds `--ro-path`/`--rw-path` grants and `--data-dir`, each checked by `PathGrant.check` and
    /// `forbidden`. More than 64 distinct grants are refused.
    public mutating func addGrants(
        readOnly: [String], readWrite: [String], dataDir: String? = nil, forbidden: ForbiddenPaths
    ) throws(SandboxError) {
        var all = grants
        for (list, writable) in [(readOnly, false), (readWrite, true)] {
            for p in list {
                let real = try PathGrant.check(p, flag: writable ? "--rw-path" : "--ro-path", forbidden: forbidden)
                // A path granted twice (a runtime prefix the user also granted) is one mount: writable
                // when either grant is.
                if let i = all.firstIndex(where: { $0.path == real }) {
                    all[i].writable = all[i].writable || writable
                    continue
                }
                all.append(PathGrant(path: real, writable: writable))
            }
        }
        guard all.count <= 64 else {
            throw .badArgument("--ro-path/--rw-path", "more than 64 path grants", hint: "grant a common parent")
        }
        if let d = dataDir {
            var st = stat()
            guard lstat(d, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
                let what = st.st_mode & S_IFMT == S_IFLNK ? "is a symbolic link" : "is not an existing directory"
                throw .badArgument("--data-dir \(d)", what, hint: "create the directory first (a real directory)")
            }
            let real = try Self.checkWorkspace(d)
            if real != d.trimmingTrailingSlashes {
                throw .badArgument(
                    "--data-dir \(d)", "goes through a symbolic link (real path: \(real))", hint: "pass the real path")
            }
            if real == "/" || real == "/tmp"
                || PathGrant.systemDirectories.contains(where: { real == $0 || real.hasPrefix($0 + "/") })
            {
                throw .badArgument("--data-dir \(d)", "is a system directory", hint: "use a directory of its own")
            }
            if let g = all.first(where: { $0.path == "/data" || $0.path.hasPrefix("/data/") }) {
                throw .badArgument(
                    "--data-dir", "\(g.path) would be hidden by the data directory mounted at /data",
                    hint: "grant it without --data-dir, or move it")
            }
            if let why = forbidden.refusal(real, dataDir: true) {
                throw .badArgument("--data-dir \(d)", why, hint: "use <nexus home>/module-data/<name>")
            }
            self.dataDir = real
        }
        // Parents first, so a grant inside another is bound on top of it.
        grants = all.sorted {
            ($0.path.split(separator: "/").count, $0.path) < ($1.path.split(separator: "/").count, $1.path)
        }
    }

    static func checkWorkspace(_ path: String) throws(SandboxError) -> String {
        guard path.hasPrefix("/") || !path.isEmpty else {
            throw .badArgument("--workspace", "empty path", hint: "give a directory")
        }
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw .badArgument("--workspace \(path)", "does not exist", hint: "create the directory first")
        }
        if st.st_mode & S_IFMT == S_IFLNK {
            throw .badArgument(
                "--workspace \(path)", "is a symbolic link", hint: "pass the real directory it points to")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw .badArgument("--workspace \(path)", "is not a directory", hint: "give a directory")
        }
        guard let real = realpath(path, nil) else {
            throw .badArgument("--workspace \(path)", "cannot be resolved", hint: "check its permissions")
        }
        defer { free(real) }
        return String(cString: real)
    }
}

#if canImport(Glibc)
    import Glibc
#endif

extension String {
    var trimmingTrailingSlashes: String {
        var s = self
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
