#if canImport(Glibc)
    import Glibc
#endif

/// The CPU time this process has used, all threads, user and system: work measured this way does not grow when
/// other processes load the machine, as wall-clock time does (specs of linear-time code on a shared CI machine).
public enum ProcessCPUTime {
    /// Seconds of CPU used so far; 0 where the kernel does not say.
    public static func seconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// Milliseconds of CPU used since `start` (a `seconds()` reading).
    public static func millisSince(_ start: Double) -> Double { (seconds() - start) * 1000 }
}
