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
    /// JSON Lines audit log of proxy requests.
    public var auditLog: String?
    /// Directory for recorded responses (integration mode).
    public var recordDir: String?
    public var allowDegraded: Bool
    /// Extra host directories mounted read-only at the same path (a Python runtime outside /usr).
    public private(set) var readOnlyPaths: [String] = []
    public var fileSizeMB = 64
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
        for h in allowHosts { rules.append(try HostRule.parse(h)) }
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

    /// Adds `--ro-path` directories: absolute, existing, not symlinks, not already visible (/usr,
    /// /etc...), and never inside `forbidden` (the home directory, nexus's home and config).
    public mutating func addReadOnlyPaths(_ paths: [String], forbidden: [String]) throws(SandboxError) {
        for p in paths {
            func bad(_ why: String) -> SandboxError {
                .badArgument("--ro-path \(p)", why, hint: "give a directory such as /opt/python3.12")
            }
            guard p.hasPrefix("/") else { throw bad("must be an absolute path") }
            let real = try Self.checkWorkspace(p)
            if real != p.trimmingTrailingSlashes { throw bad("goes through a symbolic link (real path: \(real))") }
            for system in [
                "/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/proc", "/dev", "/run", "/workspace",
            ]
            where real == system || real.hasPrefix(system + "/") {
                throw bad("is already provided inside the sandbox")
            }
            // A directory under /tmp is bound read-only over the sandbox's private /tmp; /tmp itself never.
            if real == "/tmp" {
                throw bad("is the sandbox's private /tmp")
            }
            if real == "/" { throw bad("would expose the whole host") }
            for f in forbidden where !f.isEmpty {
                let fr = f.trimmingTrailingSlashes
                if real == fr || real.hasPrefix(fr + "/") || fr.hasPrefix(real + "/") {
                    throw bad("overlaps \(fr), which never enters the sandbox")
                }
            }
            readOnlyPaths.append(real)
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
