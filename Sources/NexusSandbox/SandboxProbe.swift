import CNexusJail
import NexusCore
import NexusPOSIX

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

    static func report(_ raw: nj_probe_report, userns probed: Bool) -> ProbeReport {
        let mask = Self.mask(Environment.get(maskVariable) ?? "")
        let userns = probed && !mask.contains("userns")
        let tier: String = userns ? "A" : (raw.is_root != 0 && raw.cap_setuid != 0 ? "B" : "C")
        // Tier A's network namespace comes with the user namespace; tier B (root) may make one alone.
        let netns = !mask.contains("netns") && (userns || (tier == "B" && nj_probe_net_namespace() != 0))
        var error = probed ? nil : SystemError.text(raw.userns_error)
        if mask.contains("userns") { error = "masked by \(maskVariable)" }
        return ProbeReport(
            tier: tier, userNamespaces: userns, userNamespaceError: userns ? nil : error,
            netNamespace: netns, landlockABI: mask.contains("landlock") ? 0 : Int(raw.landlock_abi),
            seccomp: raw.seccomp != 0 && !mask.contains("seccomp"),
            noNewPrivs: raw.no_new_privs != 0 && !mask.contains("no_new_privs"),
            isRoot: raw.is_root != 0, cgroupV2Memory: CgroupLimiter.v2Directory() != nil,
            cgroupV1Memory: CgroupLimiter.v1Directory(controller: "memory") != nil,
            cgroupV1Pids: CgroupLimiter.v1Directory(controller: "pids") != nil,
            masked: mask.sorted())
    }

    /// Test seam: a comma-separated list of layers (`userns`, `netns`, `landlock`, `seccomp`,
    /// `no_new_privs`) the probe reports as missing, so the degraded paths can be tested on a machine
    /// that has every layer, through the real binary. It can only take isolation away (and the jailer
    /// then fails closed unless degraded runs are allowed); the probe output names every masked layer.
    public static let maskVariable = "NEXUS_SANDBOX_PROBE_MASK"
    static let maskable: Set<String> = ["userns", "netns", "landlock", "seccomp", "no_new_privs"]

    static func mask(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { String($0).trimmingSpaces }.filter { maskable.contains($0) })
    }
}
