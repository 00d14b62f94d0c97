import NexusCore
import NexusOrchestrator
import NexusSandbox

/// Follows the sandbox audit log for a session (issue 16): module processes and `nexus sandbox exec` run
/// under jailers in processes of their own, which append each egress decision and each run's end to
/// `logs/sandbox-audit.jsonl`; the tailer publishes them on the session's bus, where the metrics recorder
/// and the tracer read them like any other event. Started only in a session that has one of those (serving the
/// admin API, or tracing), so a plain chat never wakes to poll the log.
enum AuditTailWiring {
    static func start(_ context: NexusContext) -> SandboxAuditTailer {
        let bus = context.bus
        let tailer = SandboxAuditTailer(path: context.paths.logs + "/sandbox-audit.jsonl", bus: bus) { message in
            // While a face runs it shows the warning; before or after, stderr does.
            if bus.subscriberCount > 1 {
                bus.publish(turn: 0, .notice(message))
            } else {
                Terminal.warn(message)
            }
        }
        tailer.start()
        return tailer
    }
}
