import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// Names the limit a run hit, from the signal that ended it, the cgroup's counters, and the
/// tell-tale errors runtimes print when an rlimit refuses them (Python's MemoryError, EFBIG, EMFILE).
enum LimitDetector {
    /// `cpuSecondsUsed`/`cpuLimit`: a SIGKILL after the CPU budget was spent is RLIMIT_CPU's hard limit
    /// (a command that ignores SIGXCPU).
    static func detect(_ r: SandboxResult, cgroup: CgroupLimiter?, cpuSecondsUsed: Double = 0, cpuLimit: Int = 0)
        -> String?
    {
        if let sig = r.signal {
            if sig == SIGXCPU { return "cpu" }
            if sig == SIGXFSZ { return "file_size" }
            if sig == SIGKILL && cpuLimit > 0 && cpuSecondsUsed >= Double(cpuLimit) { return "cpu" }
        }
        if cgroup?.memoryLimitHit == true { return "memory" }
        let text = r.stderr + "\n" + r.stdout
        if text.contains("MemoryError") || text.contains("Cannot allocate memory") { return "memory" }
        if text.contains("File too large") { return "file_size" }
        if text.contains("Too many open files") { return "open_files" }
        if cgroup?.processLimitHit == true || text.contains("Resource temporarily unavailable") && text.contains("fork")
        {
            return "processes"
        }
        return nil
    }
}

extension LimitDetector {
    /// The limit by name and size, as the jailer reports it: "cpu time limit (5 s)".
    static func message(_ limit: String, _ o: JailOptions) -> String {
        switch limit {
        case "timeout": "wall-clock timeout (\(Seconds.describe(o.timeoutSeconds)))"
        case "memory": "memory limit (\(o.memoryMB) MB)"
        case "cpu": "cpu time limit (\(o.effectiveCPUSeconds) s)"
        case "file_size": "file size limit (\(o.fileSizeMB) MB)"
        case "processes": "process limit (\(o.processes))"
        case "open_files": "open files limit (\(o.openFiles))"
        default: limit + " limit"
        }
    }
}
