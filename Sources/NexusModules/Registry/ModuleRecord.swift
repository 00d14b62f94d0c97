import NexusCore

/// One module as the registry knows it: where its approved files are, its state and its health.
public struct ModuleRecord: Sendable, Equatable {
    /// `enabled` modules serve calls; `disabled` ones keep their files; `archived` ones were removed.
    public enum State: String, Sendable, Equatable { case enabled, disabled, archived }

    public var name: String
    public var category: String
    public var version: String
    /// Number of the current approved version (earlier ones live in `$NEXUS_HOME/module-versions/<name>/v<seq>`).
    public var seq: Int
    public var state: State
    public var path: String
    /// Digest of the approved content; the files must still match it to be started.
    public var sha256: String
    /// `folder:<path>`, `mcp:<command>` or `builtin`.
    public var source: String
    public var createdBy: String?
    public var health: ModuleHealth
    public var lastError: String?
    public var calls: Int
    public var failures: Int
    public var latencyMsTotal: Double
    /// Tools from the last successful `tools/list`, so the catalogue needs no process.
    public var tools: [MCPTool]?
    public var installedAt: Double
    public var updatedAt: Double

    public init(
        name: String, category: String, version: String, seq: Int = 1, state: State = .enabled, path: String,
        sha256: String, source: String, createdBy: String? = nil, health: ModuleHealth = .unknown,
        lastError: String? = nil, calls: Int = 0, failures: Int = 0, latencyMsTotal: Double = 0,
        tools: [MCPTool]? = nil, installedAt: Double = WallClock.now(), updatedAt: Double = WallClock.now()
    ) {
        self.name = name
        self.category = category
        self.version = version
        self.seq = seq
        self.state = state
        self.path = path
        self.sha256 = sha256
        self.source = source
        self.createdBy = createdBy
        self.health = health
        self.lastError = lastError
        self.calls = calls
        self.failures = failures
        self.latencyMsTotal = latencyMsTotal
        self.tools = tools
        self.installedAt = installedAt
        self.updatedAt = updatedAt
    }

    public var isBuiltin: Bool { source == "builtin" }
}

/// An approved version kept for rollback.
public struct ModuleVersion: Sendable, Equatable {
    public var seq: Int
    public var version: String
    public var sha256: String
    public var approvedAt: Double
}

/// An install or rollback that started but whose registry row was not yet written (the journal).
public struct PendingOperation: Sendable, Equatable {
    public var name: String
    public var operation: String
    public var category: String
    public var target: String
    public var staging: String
    public var newSeq: Int
    public var newVersion: String
    public var newSHA256: String
    public var source: String
    public var createdBy: String?
}

/// A row of `nexus modules list` / the TUI's module health pane.
public struct ModuleStatus: Sendable, Equatable {
    public var name: String
    public var category: String
    public var version: String
    public var state: ModuleRecord.State
    public var health: ModuleHealth
    public var running: Bool
    public var calls: Int
    public var errorRate: Double
    public var p50Ms: Double?
    public var lastError: String?
    public var source: String
    public var toolCount: Int?
}
