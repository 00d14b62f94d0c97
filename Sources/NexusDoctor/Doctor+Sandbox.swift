import NexusSandbox

/// The sandbox line: the isolation tier this machine gives modules, and what to change when it is not tier A
/// with every layer.
extension Doctor {
    static func sandboxCheck() -> DoctorCheck {
        let probe = SandboxProbe.run()
        switch probe.tier {
        case "A" where probe.missingLayers(for: .validate).isEmpty:
            return DoctorCheck(.ok, "sandbox", probe.summary)
        case "A":
            return DoctorCheck(
                .warn, "sandbox", probe.summary + " — sandbox runs are refused",
                fix: "use a kernel with the missing layer, or set sandbox.allow_degraded = true to accept it")
        case "B":
            return DoctorCheck(
                .warn, "sandbox", probe.summary,
                fix: "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) for tier A")
        default:
            return DoctorCheck(
                .warn, "sandbox", probe.summary + " — modules run degraded",
                fix: "run on a kernel with user namespaces, or set sandbox.allow_degraded = true to accept it")
        }
    }
}
