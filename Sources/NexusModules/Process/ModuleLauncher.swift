import NexusCore
import NexusPOSIX

/// What a module process needs to start: the seam between the module host and whoever spawns it.
///
/// The host builds one of these from the manifest; `DirectLauncher` spawns it as a plain child, and a
/// jailed launcher (the sandbox's `nexus sandbox exec`) can run the same spec inside namespaces with the
/// network allow-list enforced by the egress proxy.
public struct LaunchSpec: Sendable, Equatable {
    /// Module name, for logs and error messages.
    public var module: String
    /// argv; `command[0]` is looked up on `PATH` when it has no slash.
    public var command: [String]
    /// The module's folder: the process's working directory.
    public var workingDirectory: String
    /// The complete environment of the process (nothing else is inherited).
    public var environment: [String: String]
    /// Hosts the process may reach (`network.allow`); enforcement is the launcher's job.
    public var networkAllow: [String]
    /// The module's own writable directory (`$NEXUS_HOME/module-data/<name>`). When set, the folder
    /// (`workingDirectory`) is read-only, and this becomes the process's working directory, HOME and
    /// `NEXUS_MODULE_DATA`; relative paths in `command` still name files of the folder.
    public var dataDirectory: String?
    /// Host paths granted read-only and read-write (manifest `filesystem`).
    public var readPaths: [String]
    public var writePaths: [String]
    /// Memory limit in MB and CPU-time limit in seconds (0: none); nil takes the launcher's default.
    public var memoryMB: Int?
    public var cpuSeconds: Int?

    public init(
        module: String, command: [String], workingDirectory: String, environment: [String: String],
        networkAllow: [String], dataDirectory: String? = nil, readPaths: [String] = [], writePaths: [String] = [],
        memoryMB: Int? = nil, cpuSeconds: Int? = nil
    ) {
        self.module = module
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.networkAllow = networkAllow
        self.dataDirectory = dataDirectory
        self.readPaths = readPaths
        self.writePaths = writePaths
        self.memoryMB = memoryMB
        self.cpuSeconds = cpuSeconds
    }
}

/// Starts module processes. Implementations must give the child its own process group so that
/// `LaunchedProcess.terminate` ends it and everything it started.
public protocol ModuleLauncher: Sendable {
    func launch(_ spec: LaunchSpec) throws -> LaunchedProcess
    /// The memory limit (MB) a module gets when its manifest sets none; nil when nothing limits it.
    var defaultMemoryMB: Int? { get }
}

extension ModuleLauncher {
    public var defaultMemoryMB: Int? { nil }
}

/// Why a module process could not be started.
public struct LaunchError: UserFacingError, Equatable {
    public var module: String
    public var command: [String]
    public var reason: String

    public init(module: String, command: [String], reason: String) {
        self.module = module
        self.command = command
        self.reason = reason
    }

    public var userMessage: String {
        "module \(module): cannot start \(command.first.map { JSONValue.string($0).serialized } ?? "(no command)"): \(reason)"
    }
    public var hint: String? { "check runtime.command in the module's manifest.json and that the program is installed" }
}
