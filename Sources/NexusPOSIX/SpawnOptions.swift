#if canImport(Glibc)
    import Glibc
#endif

/// How `ChildProcess.spawn` sets up a child: where its standard streams go, its environment, working
/// directory, process group or session, and signal state.
public struct SpawnOptions: Sendable {
    /// Where one standard stream of the child points.
    public enum Stream: Sendable, Equatable {
        /// The parent's own descriptor.
        case inherit
        /// `/dev/null` (read-only for stdin, write-only for stdout/stderr).
        case null
        /// A descriptor of the parent (typically one end of a pipe), duplicated into place.
        case descriptor(Int32)
        /// A file opened in the child: created 0600 if missing, appended to.
        case appending(path: String)
        /// A terminal or other path opened read-write (a pseudo-terminal's slave side).
        case readWrite(path: String)
        /// stderr only: wherever stdout went.
        case sameAsStdout
    }

    /// Which process group / session the child joins.
    public enum Grouping: Sendable {
        case inherit
        /// Its own process group, so it can be signalled whole.
        case newProcessGroup
        /// A new session (and so no controlling terminal until it opens one): for pseudo-terminals.
        case newSession
    }

    public var stdin: Stream = .inherit
    public var stdout: Stream = .inherit
    public var stderr: Stream = .inherit
    /// The child's whole environment; nil inherits the parent's.
    public var environment: [String: String]?
    /// The child's working directory; nil keeps the parent's.
    public var directory: String?
    public var grouping: Grouping = .inherit
    /// Default dispositions for SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGCHLD and an empty mask:
    /// nexus ignores SIGPIPE, and a child must not inherit that.
    public var resetSignals = false
    /// Look the program up on PATH (like execvp) when it has no slash.
    public var searchPath = false
    /// Descriptors of the parent placed at fixed numbers in the child (`source` → `target`, target > 2),
    /// beside the three standard streams: a socketpair end a helper process talks over.
    public var passing: [PassedDescriptor] = []
    /// Closes every descriptor above the standard streams and `passing` in the child, so nothing the parent
    /// opened without close-on-exec leaks into it.
    public var closeOthers = false

    public init(
        stdin: Stream = .inherit, stdout: Stream = .inherit, stderr: Stream = .inherit,
        environment: [String: String]? = nil, directory: String? = nil, grouping: Grouping = .inherit,
        resetSignals: Bool = false, searchPath: Bool = false
    ) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environment = environment
        self.directory = directory
        self.grouping = grouping
        self.resetSignals = resetSignals
        self.searchPath = searchPath
    }

    /// One descriptor handed to the child at a fixed number.
    public struct PassedDescriptor: Sendable, Equatable {
        public var source: Int32
        public var target: Int32
        public init(source: Int32, target: Int32) {
            self.source = source
            self.target = target
        }
    }

    /// All three streams to /dev/null.
    public static var silent: SpawnOptions { SpawnOptions(stdin: .null, stdout: .null, stderr: .null) }
}

/// A child could not be started: which program, and the system's reason.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    public var program: String
    public var reason: String

    public init(program: String, reason: String) {
        self.program = program
        self.reason = reason
    }

    public var description: String { "cannot start \(program): \(reason)" }
}
