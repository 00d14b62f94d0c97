import NexusCore

/// Where the admin server listens and who may talk to it (`[server]` in nexus.toml, `--admin-port`), and
/// which front process carries its HTTP.
public struct AdminOptions: Sendable, Equatable {
    /// The address to bind: loopback unless `[server] bind` names another, which prints a warning at start.
    public var host: String
    /// 0 asks the system for a free port (tests); the port bound is `AdminServer.port`.
    public var port: Int
    /// The bearer token every `/v1` request must carry.
    public var token: String
    /// Largest request body read (bytes); more is refused with 413.
    public var maxBodyBytes: Int
    /// `nexus serve`: SIGINT and SIGTERM end the server gracefully (chat leaves signals to its face).
    public var stopOnSignals: Bool
    /// A connection that sends nothing for this long is closed: without it every idle socket a local process
    /// opened stayed open for good, until nexus ran out of file descriptors.
    public var idleTimeoutSeconds: Int
    /// The HTTP front to run (`nexus-admin`), beside the running executable unless a caller names another.
    public var frontPath: String
    /// Where the front's own standard error goes (a crash report); nil discards it.
    public var frontLogPath: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8003, token: String, maxBodyBytes: Int = 64 * 1024,
        stopOnSignals: Bool = false, idleTimeoutSeconds: Int = 30, frontPath: String = AdminFront.besideExecutable,
        frontLogPath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.stopOnSignals = stopOnSignals
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.frontPath = frontPath
        self.frontLogPath = frontLogPath
    }

    /// True when `host` is a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool { Self.isLoopbackHost(host) }

    /// One loopback rule for all of nexus (`Endpoint`): "127.0.0.1.evil.example" is a name anyone can register.
    public static func isLoopbackHost(_ host: String) -> Bool {
        let h = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return Endpoint.isLoopback(host: h.lowercased())
    }
}
