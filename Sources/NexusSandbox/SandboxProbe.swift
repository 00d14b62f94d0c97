import CNexusJail
import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the isolation this machine gives by trying each layer (a throwaway namespaced child, the
/// Landlock ABI query, seccomp, cgroup files). Cheap (a few milliseconds); cached per process.
public enum SandboxProbe {
    private static let cached: ProbeReport = probe()

    /// The report for this machine (probed once per process).
    public static func run() -> ProbeReport { cached }

    /// Without the namespace test: user namespaces assumed when the kernel allows any
    /// (`user.max_user_namespaces` > 0). The jailer uses this on its hot path and falls back to
    /// `run()` when the namespaced clone is then refused.
    public static func quick() -> ProbeReport {
        var raw = nj_probe_report()
        nj_probe_layers(&raw)
        let max = readText("/proc/sys/user/max_user_namespaces").flatMap { Int($0.trimmingSpaces) } ?? 0
        return report(raw, userns: max > 0)
    }

    static func probe() -> ProbeReport {
        var raw = nj_probe_report()
        nj_probe(&raw)
        return report(raw, userns: raw.user_namespaces != 0)
    }

    static func report(_ raw: nj_probe_report, userns: Bool) -> ProbeReport {
        let tier: String = userns ? "A" : (raw.is_root != 0 && raw.cap_setuid != 0 ? "B" : "C")
        return ProbeReport(
            tier: tier, userNamespaces: userns,
            userNamespaceError: userns ? nil : String(cString: strerror(raw.userns_error)),
            landlockABI: Int(raw.landlock_abi), seccomp: raw.seccomp != 0, noNewPrivs: raw.no_new_privs != 0,
            isRoot: raw.is_root != 0, cgroupV2Memory: CgroupLimiter.v2Directory() != nil,
            cgroupV1Memory: CgroupLimiter.v1Directory(controller: "memory") != nil,
            cgroupV1Pids: CgroupLimiter.v1Directory(controller: "pids") != nil)
    }
}
