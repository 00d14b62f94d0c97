import NexusCore
import NexusPOSIX

/// The admin server's HTTP front, `nexus-admin`: our own small executable, built beside `nexus`, that binds
/// the port, parses HTTP with Hummingbird and forwards each request over a socketpair (`AdminLink`).
///
/// Why a process of its own: linking Hummingbird and SwiftNIO into `nexus` doubled the binary (45 → 87 MB)
/// and cost every chat ~0.45 ms of start-up in relocations, for the few sessions that serve. It is started
/// directly (not through the module sandbox: it is nexus's own binary), in its own process group so a
/// Ctrl-C meant for the chat does not reach it, with the channel as descriptor 3 and nothing else inherited.
public enum AdminFront {
    /// The descriptor number the front reads its channel on.
    public static let channelFD: Int32 = 3

    /// `nexus-admin` beside the running executable (`nexus`, or the test bundle in the same build folder).
    public static var besideExecutable: String {
        let me = ProcessControl.executablePath
        return String(me[..<(me.lastIndex(of: "/") ?? me.startIndex)]) + "/nexus-admin"
    }

    /// The front's command line for `options`.
    static func arguments(_ options: AdminOptions) -> [String] {
        [
            options.frontPath, "--channel-fd", String(channelFD), "--host", options.host, "--port",
            String(options.port), "--max-body", String(options.maxBodyBytes), "--idle-timeout",
            String(max(1, options.idleTimeoutSeconds)),
        ]
    }

    /// Starts the front with `channel` as its descriptor 3; returns its pid. Throws one line naming the
    /// missing binary and how to build it, or why it could not start.
    static func spawn(_ options: AdminOptions, channel: Int32) throws -> Int32 {
        guard FileSystem.isExecutable(options.frontPath) else {
            throw NexusError(
                "admin server: \(options.frontPath) is missing",
                hint: "build it with `swift build --product nexus-admin` (or `make release`); chat goes on without it")
        }
        var spawn = SpawnOptions(
            stdin: .null, stdout: .null, stderr: options.frontLogPath.map { .appending(path: $0) } ?? .null,
            environment: ["LANG": "C.UTF-8"], grouping: .newProcessGroup, resetSignals: true)
        spawn.passing = [.init(source: channel, target: channelFD)]
        spawn.closeOthers = true
        do {
            return try ChildProcess.spawn(arguments(options), spawn)
        } catch {
            throw NexusError(
                "admin server: \(error.description)", hint: "check \(options.frontPath); chat goes on without it")
        }
    }
}
