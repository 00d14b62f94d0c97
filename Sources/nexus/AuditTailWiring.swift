import NexusCore
import NexusOrchestrator
import NexusSandbox

/// Follows the sandbox audit log for a session (issue 16): module processes and `nexus sandbox exec` run
/// under jailers in processes of their own, which append each egress decision and each run's end to
/// `logs/sandbox-audit.jsonl`; the tailer publishes them on the session's bus, where the metrics recorder
/// and the tracer read them like any other event.
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
