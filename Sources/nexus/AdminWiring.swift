import NexusCore
import NexusOrchestrator
import NexusServer
import NexusTelemetry

/// Starts the admin server and the metrics recorder for a session that serves (issue 16): `[server] admin`,
/// `--admin-port N` or `nexus serve`. A plain chat never reaches here, so it starts as fast as before; the HTTP
/// front (`nexus-admin`) is a process of its own, so `nexus` links no HTTP server at all.
enum AdminWiring {
    /// A running admin server and the recorder feeding its `/metrics`.
    final class Running: Sendable {
        let server: AdminServer
        let recorder: EventMetricsRecorder
        init(server: AdminServer, recorder: EventMetricsRecorder) {
            self.server = server
            self.recorder = recorder
        }
    }

    /// Whether this session serves: the flag wins, then `[server] admin`.
    static func requested(_ context: NexusContext, portFlag: Int?) -> Bool {
        portFlag != nil || context.config.server.admin
    }

    /// Starts serving when asked. A failure to listen (a port in use) is one warning line: the session goes on.
    static func startIfRequested(
        _ context: NexusContext, parts: SessionFactory.Parts, portFlag: Int?, force: Bool = false,
        stopOnSignals: Bool = false
    ) async throws -> Running? {
        guard force || requested(context, portFlag: portFlag) else { return nil }
        let port = portFlag ?? context.config.server.adminPort
        guard (0...65535).contains(port) else {
            throw NexusError("--admin-port \(port): expected a port from 0 to 65535", exit: .usage)
        }
        let host = context.config.server.bind ?? "127.0.0.1"
        let token = try AdminToken.loadOrCreate(home: context.paths.home)
        let recorder = EventMetricsRecorder(providerNames: GenAIProviderName.table(context.config.providers))
        recorder.attach(to: context.bus)
        for row in await parts.modules.host.statusRows() {
            recorder.setModuleHealth(row.name, row.state == .disabled ? .disabled : row.health)
        }
        let backend = AdminBackend(
            orchestrator: parts.orchestrator, modules: parts.modules,
            loadConfig: {
                try ConfigLoader.load(paths: context.paths, environment: context.environment).config
            })
        let options = AdminOptions(
            host: host, port: port, token: token, stopOnSignals: stopOnSignals,
            frontLogPath: context.paths.logs + "/nexus-admin.log")
        if !options.isLoopback {
            Terminal.warn(
                "admin server listens on \(host) (not loopback, from [server] bind): anyone who reaches it can try"
                    + " the token in \(context.paths.home)/\(AdminToken.fileName)")
        }
        let metrics = recorder.metrics
        do {
            // A front that ends mid-session is one notice in the face (and on stderr for `nexus serve`).
            let bus = context.bus
            let notice: @Sendable (String) -> Void = { line in
                bus.publish(turn: 0, .notice(line))
                if stopOnSignals { Terminal.warn(line) }
            }
            let server = try await AdminServer.start(options: options, backend: backend, notice: notice) {
                metrics.renderBytes()
            }
            if !stopOnSignals {
                // A chat's face comes up after this: the address reaches it as a retained notice (with
                // `--admin-port 0` the port is the system's choice, known only here).
                context.bus.publishRetained(
                    turn: 0,
                    .notice(
                        "admin API on http://\(host):\(server.port) (token in \(context.paths.home)/\(AdminToken.fileName))"
                    ))
            }
            return Running(server: server, recorder: recorder)
        } catch {
            Terminal.warn(error.userFacingDescription)
            return nil
        }
    }
}
