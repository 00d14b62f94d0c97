import Hummingbird
import Logging
import NexusCore
import Synchronization

/// The loopback admin server: `/metrics`, `/healthz` and the `/v1` control API on Hummingbird 2.
///
/// It runs only when serving (`[server] admin = true`, `--admin-port`, `nexus serve`), so plain chat never
/// starts SwiftNIO's threads. `start` returns once the port is bound, or throws one clear line when it
/// cannot be (port in use); the session goes on either way.
public final class AdminServer: Sendable {
    /// The port bound (the one asked for, or the system's choice for 0).
    public let port: Int
    public let host: String
    private let task: Task<Void, Never>

    private init(host: String, port: Int, task: Task<Void, Never>) {
        self.host = host
        self.port = port
        self.task = task
    }

    /// Binds and serves in the background until `stop()`.
    public static func start(
        options: AdminOptions, backend: AdminBackend, metrics: @escaping @Sendable () -> [UInt8]
    ) async throws -> AdminServer {
        let router = Router()
        router.add(middleware: AdminGuard(options: options))
        AdminRoutes.register(on: router, backend: backend, options: options, metrics: metrics)
        let started = StartSignal()
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(max(1, options.idleTimeoutSeconds))))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in started.finish(.success(channel.localAddress?.port ?? options.port)) },
            logger: Logger(label: "nexus-admin", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task {
            do {
                if options.stopOnSignals { try await app.runService() } else { try await app.run() }
            } catch { started.finish(.failure(error)) }
            started.finish(.failure(CancellationError()))
        }
        switch await started.wait() {
        case .success(let port): return AdminServer(host: options.host, port: port, task: task)
        case .failure(let error):
            task.cancel()
            throw Self.describe(error, options)
        }
    }

    /// Returns when the server has ended (`nexus serve`: after SIGINT or SIGTERM).
    public func wait() async { _ = await task.value }

    /// Stops accepting connections and ends the server.
    public func stop() async {
        task.cancel()
        _ = await task.value
    }

    static func describe(_ error: any Error, _ options: AdminOptions) -> NexusError {
        let text = "\(error)"
        let address = "\(options.host):\(options.port)"
        if text.contains("in use") || text.contains("errno: 98") {
            return NexusError(
                "admin server: \(address) is already in use",
                hint: "choose another port with --admin-port N or [server] admin_port; chat goes on without it")
        }
        return NexusError(
            "admin server: cannot listen on \(address): \(text)", hint: "check [server] bind and admin_port")
    }
}

/// One-shot hand-over of "bound on port N" or "failed" from the server task to `start`.
final class StartSignal: Sendable {
    private let state = Mutex<
        (result: Result<Int, any Error>?, waiter: CheckedContinuation<Result<Int, any Error>, Never>?)
    >(
        (nil, nil))

    func finish(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { s -> CheckedContinuation<Result<Int, any Error>, Never>? in
            guard s.result == nil else { return nil }
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: result)
    }

    func wait() async -> Result<Int, any Error> {
        await withCheckedContinuation { c in
            let ready = state.withLock { s -> Result<Int, any Error>? in
                if let r = s.result { return r }
                s.waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
