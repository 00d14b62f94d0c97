#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Monotonic time in nanoseconds since an arbitrary origin: event timestamps and latencies.
/// Wall-clock time jumps; durations measured with it lie.
public enum MonotonicClock {
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Milliseconds elapsed since `start` (a value from `nanoseconds()`), as a Double.
    @inline(__always)
    public static func millisSince(_ start: UInt64) -> Double {
        Double(nanoseconds() &- start) / 1_000_000
    }
}

/// Seconds since the Unix epoch, for rows people read (ledger, audit, registry).
public enum WallClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
