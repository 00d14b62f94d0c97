import NexusCore

/// What `nexus sandbox probe` found: the isolation tier and each layer, for the CLI, `nexus doctor`
/// and the TUI status line.
///
/// Tier A: user namespaces (the full jail). Tier B: root without namespaces (a dedicated uid per run,
/// capabilities dropped). Tier C: neither, degraded (rlimits, seccomp and the timeout only).
public struct ProbeReport: Sendable, Equatable {
    /// One isolation layer and whether this machine has it.
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var available: Bool
        public var detail: String
    }

    /// "A", "B" or "C".
    public var tier: String
    public var userNamespaces: Bool
    public var userNamespaceError: String?
    /// A network namespace for the sandbox: with the user namespace (tier A), or made by root alone
    /// (tier B), so the command reaches nothing but the proxy bridge.
    public var netNamespace: Bool
    /// 0 when Landlock is unavailable.
    public var landlockABI: Int
    public var seccomp: Bool
    public var noNewPrivs: Bool
    public var isRoot: Bool
    /// A cgroup v2 with the memory controller delegated to us.
    public var cgroupV2Memory: Bool
    /// A writable cgroup v1 memory hierarchy (used when v2 is not delegated).
    public var cgroupV1Memory: Bool
    public var cgroupV1Pids: Bool
    /// Layers hidden by the probe's test seam (`NEXUS_SANDBOX_PROBE_MASK`).
    public var masked: [String] = []

    /// The isolation layers `mode` needs that this machine lacks; empty when the mode runs fully
    /// confined. The jailer refuses to run with any missing unless degraded runs are allowed.
    public func missingLayers(for mode: SandboxMode) -> [String] {
        var missing: [String] = []
        if tier == "C" { missing.append("user namespaces (or root, for a uid of its own)") }
        if mode.usesProxy && tier == "B" && !netNamespace { missing.append("network namespace") }
        if landlockABI == 0 { missing.append("landlock") }
        if !seccomp { missing.append("seccomp") }
        if !noNewPrivs { missing.append("no_new_privs") }
        return missing
    }

    /// Each layer in the order the jail applies them.
    public var layers: [Layer] {
        [
            Layer(
                name: "user namespaces", available: userNamespaces,
                detail: userNamespaces
                    ? "user, mount, pid, net, ipc, uts (direct clone)"
                    : "unavailable: \(userNamespaceError ?? "unknown")"),
            Layer(
                name: "network namespace", available: netNamespace,
                detail: netNamespace
                    ? (userNamespaces ? "with the user namespace" : "made by root (tier B), proxy through a bridge")
                    : "unavailable: validate and integration need --allow-degraded"),
            Layer(
                name: "landlock", available: landlockABI > 0,
                detail: landlockABI > 0
                    ? "ABI \(landlockABI)" + (landlockABI >= 4 ? ", TCP connect rules" : "")
                        + (landlockABI >= 6 ? ", signal and abstract-socket scoping" : "")
                    : "unavailable"),
            Layer(name: "seccomp", available: seccomp, detail: seccomp ? "BPF filter" : "unavailable"),
            Layer(name: "no_new_privs", available: noNewPrivs, detail: noNewPrivs ? "yes" : "unavailable"),
            Layer(
                name: "cgroup v2 delegation", available: cgroupV2Memory,
                detail: cgroupV2Memory ? "memory.max, pids.max, cgroup.kill" : "not delegated"),
            Layer(
                name: "cgroup v1 memory/pids", available: cgroupV1Memory || cgroupV1Pids,
                detail: [cgroupV1Memory ? "memory" : nil, cgroupV1Pids ? "pids" : nil].compactMap { $0 }.joined(
                    separator: ", "
                ).nonEmpty ?? "unavailable"),
            Layer(
                name: "rlimits", available: true, detail: "cpu, address space, file size, open files, processes, core 0"
            ),
        ]
    }

    /// The same machine treated as a lower tier (tests of tiers B and C, `--tier`); never raises it.
    public func downgraded(to wanted: String) -> ProbeReport? {
        guard ["A", "B", "C"].contains(wanted), wanted >= tier else { return nil }
        var r = self
        r.tier = wanted
        if wanted != "A" { r.userNamespaces = false }
        if wanted == "C" { r.netNamespace = false }
        if wanted == "C" {
            r.cgroupV1Memory = false
            r.cgroupV1Pids = false
            r.cgroupV2Memory = false
        }
        return r
    }

    /// One line: "tier A (user namespaces, landlock ABI 7, seccomp)".
    public var summary: String {
        var parts: [String] = []
        if userNamespaces { parts.append("user namespaces") }
        if landlockABI > 0 { parts.append("landlock ABI \(landlockABI)") }
        if seccomp { parts.append("seccomp") }
        if cgroupV2Memory { parts.append("cgroup v2") } else if cgroupV1Memory { parts.append("cgroup v1") }
        var text = "tier \(tier)" + (parts.isEmpty ? " (degraded)" : " (\(parts.joined(separator: ", ")))")
        let missing = missingLayers(for: .validate)
        if !missing.isEmpty { text += "; missing: " + missing.joined(separator: ", ") }
        if !masked.isEmpty { text += " [masked by \(SandboxProbe.maskVariable): \(masked.joined(separator: ","))]" }
        return text
    }

    /// Per mode, what the jailer will refuse without `--allow-degraded`: "exec: runs confined".
    public var modeLines: [String] {
        SandboxMode.allCases.map { mode in
            let missing = missingLayers(for: mode)
            return missing.isEmpty
                ? "\(mode.rawValue): confined"
                : "\(mode.rawValue): DEGRADED, missing \(missing.joined(separator: ", "))"
                    + " (refused unless allow_degraded)"
        }
    }

    /// Text for `nexus sandbox probe`.
    public func render() -> String {
        var out = "sandbox: \(summary)\n"
        let meaning =
            switch tier {
            case "A": "full jail: namespaces, private filesystem, egress proxy"
            case "B": "root without namespaces: dedicated uid per run, capabilities dropped"
            default: "degraded: every mode refused unless allow_degraded (then rlimits, seccomp, the timeout)"
            }
        out += "  tier \(tier): \(meaning)\n"
        for layer in layers {
            out += "  [\(layer.available ? "x" : " ")] \(layer.name): \(layer.detail)\n"
        }
        for line in modeLines { out += "  mode \(line)\n" }
        return out
    }

    public var json: JSONValue {
        var o = JSONObject()
        o["tier"] = .string(tier)
        o["summary"] = .string(summary)
        o["user_namespaces"] = .bool(userNamespaces)
        o["net_namespace"] = .bool(netNamespace)
        o["masked"] = .array(masked.map { .string($0) })
        var missing = JSONObject()
        for mode in SandboxMode.allCases {
            missing[mode.rawValue] = .array(missingLayers(for: mode).map { .string($0) })
        }
        o["missing"] = .object(missing)
        o["landlock_abi"] = .number(Double(landlockABI))
        o["seccomp"] = .bool(seccomp)
        o["no_new_privs"] = .bool(noNewPrivs)
        o["cgroup_v2_memory"] = .bool(cgroupV2Memory)
        o["cgroup_v1_memory"] = .bool(cgroupV1Memory)
        o["cgroup_v1_pids"] = .bool(cgroupV1Pids)
        o["layers"] = .array(
            layers.map { ["name": .string($0.name), "available": .bool($0.available), "detail": .string($0.detail)] })
        return .object(o)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
