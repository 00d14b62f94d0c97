import NexusCore

extension Jailer {
    /// `run`, with the run's end appended to the audit log (`JailOptions.auditLog`, unless `recordRun` is
    /// off): mode, outcome, exit status, duration and label, so the serving nexus counts every
    /// `nexus sandbox exec` in `nexus_sandbox_runs_total`, whichever process ran it. A run the machine
    /// refused (no isolation, a bad setup) is recorded as `refused` and its error still thrown.
    public static func runRecorded(_ o: JailOptions, probe: ProbeReport? = nil) throws(SandboxError) -> SandboxResult {
        let start = MonotonicClock.nanoseconds()
        let audit = o.auditLog.flatMap { SandboxAuditWriter(path: $0, warn: warnOnStderr) }
        let writer = o.recordRun ? audit : nil
        do {
            let result = try run(o, probe: probe, audit: audit)
            writer?.run(
                module: o.label, mode: o.mode.rawValue, outcome: SandboxAuditRecord.outcome(of: result),
                exitStatus: result.processExitStatus, durationMs: result.durationMs, command: o.command)
            return result
        } catch {
            writer?.run(
                module: o.label, mode: o.mode.rawValue, outcome: "refused", exitStatus: nil,
                durationMs: MonotonicClock.millisSince(start), command: o.command)
            throw error
        }
    }
}
