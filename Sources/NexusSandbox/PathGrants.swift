#if canImport(Glibc)
    import Glibc
#endif

/// Host paths that never enter the sandbox through a grant (`--ro-path`, `--rw-path`, `--data-dir`),
/// computed by the jailer from its real `--home`/`--config`, never from what a module's HOME says.
///
/// The user's home directory may not be granted itself, nor anything that contains it; a grant inside
/// it (~/projects/repo) is fine. nexus's home, config directory, config file and vault key are closed
/// as whole trees: no grant may equal, contain or sit inside them, except a data directory under
/// `<nexus home>/module-data/` (where nexus keeps each module's writable data).
public struct ForbiddenPaths: Sendable, Equatable {
    /// The invoking user's home directories (from the password database and HOME).
    public var userHomes: [String]
    /// Trees closed as a whole: nexus's home, config directory, config file, vault key.
    public var trees: [String]
    /// nexus's home, where `module-data/` may hold data directories.
    public var nexusHome: String?

    public init(userHomes: [String], trees: [String], nexusHome: String? = nil) {
        self.userHomes = userHomes.filter { !$0.isEmpty }.map(\.trimmingTrailingSlashes)
        self.trees = trees.filter { !$0.isEmpty }.map(\.trimmingTrailingSlashes)
        self.nexusHome = nexusHome?.trimmingTrailingSlashes
    }

    /// For `nexus sandbox exec`: the user's home from the password database and HOME, and the trees.
    public static func forJailer(home: String, configDir: String, configFile: String, environment: [String: String])
        -> ForbiddenPaths
    {
        var homes: [String] = []
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { homes.append(String(cString: dir)) }
        if let h = environment["HOME"], !h.isEmpty { homes.append(h) }
        let trees = [home, configDir, configFile, configDir + "/vault.key"]
        // Real paths too: a home reached through a symlink is the same home.
        return ForbiddenPaths(
            userHomes: homes + homes.compactMap(realPath), trees: trees + trees.compactMap(realPath),
            nexusHome: realPath(home) ?? home)
    }

    /// Why `path` (a real, absolute path) may not be granted, or nil when it may.
    /// `dataDir`: the path is a data directory (allowed under `<nexus home>/module-data/`).
    public func refusal(_ path: String, dataDir: Bool = false) -> String? {
        if path == "/" { return "would expose the whole host" }
        if dataDir, let nh = nexusHome, path.hasPrefix(nh + "/module-data/") { return nil }
        for h in userHomes where path == h || h.hasPrefix(path + "/") {
            return path == h ? "is the home directory itself" : "contains the home directory \(h)"
        }
        for t in trees where path == t || path.hasPrefix(t + "/") || t.hasPrefix(path + "/") {
            return "overlaps \(t), which never enters the sandbox"
        }
        return nil
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}

/// A host path bound into the sandbox at the same absolute path: a directory or a regular file,
/// read-only or read-write.
public struct PathGrant: Sendable, Equatable {
    public var path: String
    public var writable: Bool

    /// Directories the sandbox provides itself, or that would expose the host wholesale.
    static let systemDirectories = [
        "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc", "/sys", "/dev", "/run",
        "/boot", "/workspace",
    ]

    /// Checks one `--ro-path`/`--rw-path` (`flag` names it in errors): absolute, existing, a directory
    /// or regular file, no symlink anywhere on the way, not a system directory, not forbidden.
    static func check(_ p: String, flag: String, forbidden: ForbiddenPaths) throws(SandboxError) -> String {
        func bad(_ why: String) -> SandboxError {
            .badArgument("\(flag) \(p)", why, hint: "grant a project directory or file, e.g. /srv/repo")
        }
        guard p.hasPrefix("/") else { throw bad("must be an absolute path") }
        var st = stat()
        guard lstat(p, &st) == 0 else { throw bad("does not exist") }
        let type = st.st_mode & S_IFMT
        if type == S_IFLNK { throw bad("is a symbolic link (pass the real path it points to)") }
        guard type == S_IFDIR || type == S_IFREG else { throw bad("is neither a directory nor a regular file") }
        guard let real = ForbiddenPaths.realPath(p) else { throw bad("cannot be resolved") }
        if real != p.trimmingTrailingSlashes { throw bad("goes through a symbolic link (real path: \(real))") }
        if real == "/" { throw bad("would expose the whole host") }
        for system in systemDirectories where real == system || real.hasPrefix(system + "/") {
            throw bad("is a system directory the sandbox provides itself")
        }
        // A directory under /tmp is bound over the sandbox's private /tmp; /tmp itself never.
        if real == "/tmp" { throw bad("is the sandbox's private /tmp") }
        if let why = forbidden.refusal(real) { throw bad(why) }
        return real
    }
}
