import NexusAdminChannel
import NexusCore
import NexusPOSIX

/// The loopback admin server: `/metrics`, `/healthz` and the `/v1` control API.
///
/// It runs only when serving (`[server] admin = true`, `--admin-port`, `nexus serve`). The HTTP side is the
/// `nexus-admin` front (`AdminFront`), so `nexus` links no HTTP server; every answer is decided here by
/// `AdminHandler`. `start` returns once the front has bound the port, or throws one clear line (port in
/// use, front missing); the session goes on either way. A front that dies later costs one notice line.
public final class AdminServer: Sendable {
    /// The port bound (the one asked for, or the system's choice for 0).
    public let port: Int
    public let host: String
    /// The front's process id.
    public let frontPID: Int32
    private let channel: AdminChannel

    private init(host: String, port: Int, frontPID: Int32, channel: AdminChannel) {
        self.host = host
        self.port = port
        self.frontPID = frontPID
        self.channel = channel
    }

    /// How long `start` waits for the front to report that it listens.
    public static let readyTimeoutSeconds = 15

    /// Starts the front and serves until `stop()` (or, with `stopOnSignals`, SIGINT or SIGTERM).
    /// `notice` gets one line when the front ends on its own or sends something this side drops.
    public static func start(
        options: AdminOptions, backend: AdminBackend, notice: @escaping @Sendable (String) -> Void = { _ in },
        metrics: @escaping @Sendable () -> [UInt8]
    ) async throws -> AdminServer {
        guard let pair = SocketPair.make() else {
            throw NexusError("admin server: cannot make its channel: \(SystemError.currentText)")
        }
        let pid: Int32
        do { pid = try AdminFront.spawn(options, channel: pair.childEnd) } catch {
            Descriptor.close(pair.childEnd)
            Descriptor.close(pair.parentEnd)
            throw error
        }
        Descriptor.close(pair.childEnd)
        let channel = AdminChannel(
            fd: pair.parentEnd, pid: pid, handler: AdminHandler(options: options, backend: backend, metrics: metrics),
            notice: notice)
        let timeout = Task {
            try await Task.sleep(for: .seconds(readyTimeoutSeconds))
            channel.started.finish(.failure(NexusError("nexus-admin did not report within \(readyTimeoutSeconds) s")))
        }
        let outcome = await channel.started.wait()
        timeout.cancel()
        switch outcome {
        case .success(let port):
            let server = AdminServer(host: options.host, port: port, frontPID: pid, channel: channel)
            if options.stopOnSignals {
                Task {
                    _ = await StopSignals.next()
                    await server.stop()
                }
            }
            return server
        case .failure(let error):
            await channel.end()
            throw describe(error, options)
        }
    }

    /// Returns when the server has ended: `stop()`, the front's end, or (`nexus serve`) SIGINT or SIGTERM.
    public func wait() async { await channel.ended.wait() }

    /// Ends the front (SIGTERM: it finishes the requests in flight) and the channel.
    public func stop() async { await channel.end() }

    /// After `wait()`: true when the server was stopped (`stop()`, a stop signal), false when the front ended
    /// on its own (`nexus serve` then exits with a failure).
    public var wasStopped: Bool { channel.wasStopped }

    static func describe(_ error: any Error, _ options: AdminOptions) -> NexusError {
        if let e = error as? NexusError, e.userMessage.hasPrefix("admin server:") { return e }
        let text = "\(error)"
        let address = "\(options.host):\(options.port)"
        if text.contains("in use") || text.contains("errno: 98") {
            return NexusError(
                "admin server: \(address) is already in use",
                hint: "choose another port with --admin-port N or [server] admin_port; chat goes on without it")
        }
        return NexusError(
            "admin server: cannot listen on \(address): \(text.prefix(300))",
            hint: "check [server] bind and admin_port; chat goes on without it")
    }
}
