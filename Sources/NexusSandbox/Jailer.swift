import CNexusJail
import NexusCore
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one command in the sandbox and reports how it ended: the body of `nexus sandbox exec`.
///
/// Swift prepares (limits, cgroup, proxy, pipes), C does everything between fork and exec
/// (CNexusJail), and Swift supervises: it enforces the wall-clock timeout by killing the sandbox's
/// pid-namespace init (which takes every process inside with it), drains captured output, and builds
/// the `SandboxResult`. Call `run` from one thread and keep that thread until it returns (the jail
/// dies with the thread that started it).
public enum Jailer {
    /// Port of the proxy bridge inside the sandbox's network namespace.
    public static let bridgePort = 3128

    /// Runs `o`. Without `probe`, a quick probe is used and a refused namespaced clone falls back to
    /// the full probe (so the usual case costs no extra clone).
    /// `audit`: the audit log already opened (`runRecorded`); nil opens `o.auditLog` when set.
    public static func run(
        _ o: JailOptions, probe given: ProbeReport? = nil, audit: SandboxAuditWriter? = nil
    ) throws(SandboxError) -> SandboxResult {
        let audit = audit ?? o.auditLog.flatMap { SandboxAuditWriter(path: $0, warn: warnOnStderr) }
        let probe = given ?? SandboxProbe.quick()
        if let result = try runOnce(o, probe: probe, audit: audit) { return result }
        let full = SandboxProbe.run()
        let lower = full.tier == "A" ? full.downgraded(to: "B") ?? full : full
        if let result = try runOnce(o, probe: lower, audit: audit) {
            return result
        }
        throw .isolationUnavailable("the kernel refused the sandbox's namespaces", hint: "run `nexus sandbox probe`")
    }

    /// nil when the namespaced clone was refused (the quick probe guessed wrong).
    static func runOnce(
        _ o: JailOptions, probe: ProbeReport, audit: SandboxAuditWriter?
    ) throws(SandboxError) -> SandboxResult? {
        let tier = probe.tier
        // Fail closed: every layer the mode needs must be there, unless degraded runs are allowed
        // (then the result says DEGRADED and names what is missing).
        let missing = probe.missingLayers(for: o.mode)
        if !missing.isEmpty && !o.allowDegraded {
            throw .isolationUnavailable(
                "\(o.mode.rawValue) mode refused: this machine (tier \(tier)) lacks \(missing.joined(separator: ", "))",
                hint: "run `nexus sandbox probe`; to run with weaker isolation anyway pass --allow-degraded "
                    + "or set [sandbox] allow_degraded = true")
        }
        let degraded = !missing.isEmpty
        // Tier B as root makes a network namespace of its own: the command reaches only the bridge.
        let netns = tier == "B" && probe.netNamespace
        let viaInit = tier == "A" || netns
        // Stop requests (SIGTERM, ^C) end the sandbox and still clean up; threads started below
        // (the proxy) inherit the blocked mask, so the signal can only arrive through this fd.
        var oldMask = sigset_t()
        let termFD = nj_termination_fd(&oldMask)
        defer {
            if termFD >= 0 { close(termFD) }
            nj_restore_signals(&oldMask)
        }
        // The process the run must not outlive: watched from before the command starts, so a nexus that is
        // already gone (killed between spawning the jailer and this line) starts nothing.
        var parentFD: Int32 = -1
        if let parent = o.parentPID {
            parentFD = nj_pidfd_open(parent)
            if parentFD < 0 || getppid() != parent {
                if parentFD >= 0 { close(parentFD) }
                throw .badArgument(
                    "--parent-pid \(parent)", "that process is not running this jailer any more (it has exited)",
                    hint: "a module is started again by the next nexus that uses it")
            }
        }
        defer { if parentFD >= 0 { close(parentFD) } }
        let scratch = try Scratch.make()
        defer { scratch.remove() }

        // Who the sandbox runs as. As root: always a uid of its own, never host root (root-only files
        // in mounted trees stay unreadable); the jailer opens the bind sources itself and idmaps the
        // root-owned ones the sandbox must own (workspace, /data, write grants). Otherwise: the owner
        // of the data directory or workspace (so it can write there), else a uid of its own.
        var uid = uid_t(200_000 + UInt32(getpid() % 60_000))
        var gid = gid_t(uid)
        let premount = tier == "A" && geteuid() == 0
        if let ws = o.dataDir ?? o.workspace, tier == "A", !premount {
            var st = stat()
            if stat(ws, &st) == 0 {
                uid = st.st_uid
                gid = st.st_gid
            }
        }
        if tier == "C" {
            uid = getuid()
            gid = getgid()
        }

        // Egress proxy (validate, integration), each decision appended to the audit log as it is made.
        let label = o.label
        let mode = o.mode
        let command = o.command
        let onRecord: @Sendable (NetworkRecord) -> Void = { r in
            audit?.egress(r, module: label, mode: mode, command: command)
        }
        var proxy: EgressProxy?
        if o.mode.usesProxy {
            let policy = EgressPolicy(rules: o.allowRules, pins: o.resolve)
            let record = o.mode == .integration ? o.recordDir : nil
            let p =
                viaInit
                ? try EgressProxy(
                    socketPath: scratch.path + "/proxy.sock", policy: policy, maxConnections: o.maxConnections,
                    maxBytes: o.maxProxyBytes, recordDir: record, onRecord: onRecord)
                : try EgressProxy(
                    loopbackPolicy: policy, maxConnections: o.maxConnections, maxBytes: o.maxProxyBytes,
                    recordDir: record, onRecord: onRecord)
            _ = chmod(scratch.path + "/proxy.sock", 0o666)
            p.start()
            proxy = p
        }

        let proxyPort = proxy?.port ?? bridgePort
        let runID = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var env = environment(
            o, proxyPort: proxy != nil ? proxyPort : nil, tmp: tier == "A" ? "/tmp" : scratch.path + "/tmp",
            data: o.dataDir.map { tier == "A" ? "/data" : $0 })
        env.append(("NEXUS_SANDBOX_RUN", runID))
        // Joining a cgroup costs ~10 ms here (v1 attach), so exec mode skips it when the command runs
        // as a uid of its own: RLIMIT_NPROC then bounds its processes and RLIMIT_AS its memory. Were
        // it host root, NPROC would not apply, so the pids cgroup would be kept.
        // An explicit --cpu-seconds wants the cgroup too: RLIMIT_CPU bounds each process, the cgroup
        // the whole tree (a command forking busy children).
        let wantCgroup = (tier == "A" || tier == "B") && (o.mode != .exec || uid == 0 || o.cpuSeconds > 0)
        let cgroup =
            wantCgroup
            ? CgroupLimiter.create(
                id: "\(getpid())-\(UInt32.random(in: 0...UInt32.max))", memoryBytes: o.memoryMB << 20,
                maxProcesses: o.processes, allowV1Memory: o.mode != .exec, accountCPU: o.cpuSeconds > 0)
            : nil
        defer { cgroup?.destroy() }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var statusPipe: [Int32] = [-1, -1]
        guard nj_pipe_cloexec(&statusPipe) == 0 else { throw .system("pipe2", lastError()) }
        if o.capture {
            guard nj_pipe_cloexec(&outPipe) == 0, nj_pipe_cloexec(&errPipe) == 0 else {
                throw .system("pipe2", lastError())
            }
        }
        if tier == "C" { Reaper.becomeSubreaper() }
        let start = MonotonicClock.nanoseconds()
        let strings = CStrings()
        var cfg = nj_config()
        cfg.tier = Int32(UInt8(ascii: tier == "A" ? "A" : tier == "B" ? "B" : "C"))
        cfg.landlock_abi = Int32(probe.landlockABI)
        cfg.use_seccomp = probe.seccomp ? 1 : 0
        cfg.newroot = strings.string(scratch.path + "/root")
        cfg.tmp_dir = strings.string(scratch.path + "/tmp")
        cfg.cgroup_procs = strings.array(cgroup?.procsFiles ?? [])
        cfg.workspace = o.workspace.map { strings.string($0) }
        cfg.workspace_writable = o.workspaceWritable ? 1 : 0
        cfg.data_dir = o.dataDir.map { strings.string($0) }
        cfg.proxy_socket = proxy.map { _ in strings.string(scratch.path + "/proxy.sock") }
        cfg.proxy_port = Int32(proxyPort)
        cfg.net_namespace = netns ? 1 : 0
        // Sockets per mode: no IP sockets at all without the proxy (exec mode, every tier: there is
        // nothing to reach and nothing may listen); TCP and UDP inside a network namespace of its own;
        // TCP only (no datagrams, no DNS) in a degraded tier B/C that shares the host's network.
        cfg.deny_inet = proxy == nil ? 1 : (viaInit ? 0 : 2)
        cfg.argv = strings.array(o.command)
        cfg.envp = strings.array(env.map { "\($0.0)=\($0.1)" })
        cfg.grants = strings.array(o.grants.map(\.path))
        let writableFlags = UnsafeMutablePointer<Int32>.allocate(capacity: o.grants.count + 1)
        defer { writableFlags.deallocate() }
        for (i, g) in o.grants.enumerated() { writableFlags[i] = g.writable ? 1 : 0 }
        cfg.grant_writable = UnsafePointer(writableFlags)
        cfg.premount = premount ? 1 : 0
        cfg.host_uid = uid
        cfg.host_gid = gid
        cfg.cpu_seconds = o.effectiveCPUSeconds
        cfg.memory_bytes = o.memoryMB << 20
        cfg.fsize_bytes = o.fileSizeMB << 20
        cfg.nofile = o.openFiles
        cfg.nproc = o.processes
        cfg.tmp_bytes = 64 << 20
        cfg.stdin_fd = -1
        cfg.stdout_fd = outPipe[1]
        cfg.stderr_fd = errPipe[1]
        cfg.status_fd = statusPipe[1]
        if tier == "C" { cfg.tier = Int32(UInt8(ascii: "C")) }

        var err: Int32 = 0
        let pid = nj_spawn(&cfg, &err)
        strings.free()
        for fd in [outPipe[1], errPipe[1], statusPipe[1]] where fd >= 0 { close(fd) }
        guard pid > 0 else {
            for fd in [outPipe[0], errPipe[0], statusPipe[0]] where fd >= 0 { close(fd) }
            proxy?.stop()
            if err < 0 {
                throw .setupFailed(
                    step: "bind mounts (open_tree, idmapped mounts)", reason: String(cString: strerror(-err)))
            }
            if tier == "A" && [EPERM, EINVAL, ENOSPC, EUSERS, EACCES].contains(err) { return nil }
            throw .system("starting the sandbox", String(cString: strerror(err)))
        }

        var supervisor = Supervisor(
            pid: pid, outFD: outPipe[0], errFD: errPipe[0], outputLimit: o.outputLimitBytes,
            timeoutSeconds: o.timeoutSeconds)
        supervisor.termFD = termFD
        supervisor.parentFD = parentFD
        if o.cpuSeconds > 0, let cgroup, cgroup.cpuSecondsUsed != nil {
            let budget = Double(o.cpuSeconds)
            supervisor.cpuBudgetSpent = { (cgroup.cpuSecondsUsed ?? 0) >= budget }
        }
        let timedOut = supervisor.wait {
            kill(pid, SIGKILL)
            if tier != "A" { kill(-pid, SIGKILL) }
            cgroup?.killAll()
            if tier == "B" { _ = nj_kill_uid(uid) }
        }
        if tier == "B" { _ = nj_kill_uid(uid) }  // a double fork must not outlive the run
        if tier == "C" { Reaper.killAdopted(runID: runID) }
        let statuses = readStatuses(statusPipe[0])
        close(statusPipe[0])
        let network = proxy?.stop() ?? []
        let omitted = proxy?.omittedRecords ?? (total: 0, blocked: 0)

        var result = SandboxResult(mode: o.mode, tier: tier, degraded: degraded, outcome: .exited)
        result.durationMs = MonotonicClock.millisSince(start)
        result.stdout = supervisor.out.text(redacting: o.secrets)
        result.stderr = supervisor.err.text(redacting: o.secrets)
        result.stdoutBytes = supervisor.out.total
        result.stderrBytes = supervisor.err.total
        result.network = network
        result.networkOmitted = omitted.total
        result.blockedNetworkOmitted = omitted.blocked
        result.peakMemoryBytes = cgroup?.peakMemoryBytes ?? (supervisor.maxRSSKB > 0 ? supervisor.maxRSSKB * 1024 : nil)
        result.missingLayers = missing
        classify(
            &result, viaInit: viaInit, statuses: statuses, waitStatus: supervisor.waitStatus, timedOut: timedOut,
            command: o.command)
        if supervisor.cpuBudgetHit {
            result.outcome = .signaled
            result.signal = Int(SIGKILL)
            result.exitCode = nil
            result.error = nil
            result.limitHit = "cpu"
        }
        result.limitHit =
            result.limitHit
            ?? LimitDetector.detect(
                result, cgroup: cgroup, cpuSecondsUsed: supervisor.cpuSecondsUsed, cpuLimit: o.effectiveCPUSeconds)
        result.limitMessage = result.limitHit.map { LimitDetector.message($0, o) }
        if supervisor.parentExited {
            result.outcome = .signaled
            result.signal = Int(SIGKILL)
            result.exitCode = nil
            result.error = "stopped: the process that started it (pid \(o.parentPID ?? 0)) exited"
            result.stopRequested = true
        }
        if let sig = supervisor.terminatedBy {
            result.outcome = .signaled
            result.signal = Int(SIGKILL)
            result.exitCode = nil
            result.error = "stopped: nexus received signal \(sig)"
            result.stopRequested = true
        }
        return result
    }

    /// The command's whole environment: nothing of nexus's own leaks in.
    /// `data`: where the data directory appears to the command (HOME and NEXUS_MODULE_DATA), if any.
    static func environment(_ o: JailOptions, proxyPort: Int?, tmp: String, data: String? = nil) -> [(String, String)] {
        var env: [(String, String)] = [
            ("PATH", "/usr/local/bin:/usr/bin:/bin"), ("HOME", data ?? tmp), ("TMPDIR", tmp), ("LANG", "C.UTF-8"),
            ("PYTHONDONTWRITEBYTECODE", "1"), ("NEXUS_SANDBOX", "1"), ("NEXUS_SANDBOX_MODE", o.mode.rawValue),
        ]
        if let data { env.append(("NEXUS_MODULE_DATA", data)) }
        if let proxyPort {
            let url = "http://127.0.0.1:\(proxyPort)"
            env += [
                ("HTTP_PROXY", url), ("HTTPS_PROXY", url), ("http_proxy", url), ("https_proxy", url), ("NO_PROXY", ""),
                ("no_proxy", ""),
            ]
        }
        for (k, v) in o.env {
            env.removeAll { $0.0 == k }
            env.append((k, v))
        }
        return env
    }

    static func readStatuses(_ fd: Int32) -> [nj_status] {
        var out: [nj_status] = []
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        var st = nj_status()
        while read(fd, &st, MemoryLayout<nj_status>.size) == MemoryLayout<nj_status>.size { out.append(st) }
        return out
    }

    /// `viaInit`: the command ran under a parent of ours (tier A's init, tier B's network-namespace
    /// helper) that reports its status on the status pipe.
    static func classify(
        _ r: inout SandboxResult, viaInit: Bool, statuses: [nj_status], waitStatus: Int32, timedOut: Bool,
        command: [String]
    ) {
        if let f = statuses.first(where: { $0.kind == Int32(NJ_STATUS_EXEC_FAILED) }) {
            r.outcome = .notRunnable
            r.error = f.value == ENOENT ? "not found in the sandbox" : String(cString: strerror(f.value))
            r.exitCode = 127
            return
        }
        if let f = statuses.first(where: { $0.kind == Int32(NJ_STATUS_SETUP_FAILED) }) {
            r.outcome = .setupFailed
            r.error = "\(String(cString: nj_step_name(f.step))): \(String(cString: strerror(f.value)))"
            return
        }
        if timedOut {
            r.outcome = .timeout
            r.limitHit = "timeout"
            return
        }
        if viaInit {
            if let s = statuses.last(where: { $0.kind == Int32(NJ_STATUS_EXITED) }) {
                r.outcome = .exited
                r.exitCode = Int(s.value)
            } else if let s = statuses.last(where: { $0.kind == Int32(NJ_STATUS_SIGNALED) }) {
                r.outcome = .signaled
                r.signal = Int(s.value)
            } else {
                r.outcome = .signaled
                r.signal = Int(SIGKILL)
                r.error = "the sandbox ended without reporting the command's status"
            }
            return
        }
        if waitStatus & 0x7f == 0 {
            r.outcome = .exited
            r.exitCode = Int((waitStatus >> 8) & 0xff)
        } else {
            r.outcome = .signaled
            r.signal = Int(waitStatus & 0x7f)
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    /// The jailer's own warnings: its stderr (a module's log, for module processes).
    static let warnOnStderr: @Sendable (String) -> Void = { message in
        _ = Descriptor.writeAll(2, Array("nexus: warning: \(message)\n".utf8))
    }
}
