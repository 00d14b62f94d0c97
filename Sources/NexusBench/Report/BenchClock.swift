#if canImport(Glibc)
    import Glibc
#endif

/// The UTC date and time each benchmark table is stamped with (`2026-11-22 04:30 UTC`), without Foundation.
public enum BenchClock {
    public static func utcNow() -> String {
        var t = time(nil)
        var parts = tm()
        guard gmtime_r(&t, &parts) != nil else { return "unknown date" }
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }
}
