#if canImport(Glibc)
    import Glibc
#endif

/// A moment broken into UTC calendar fields (`gmtime_r`), for the timestamps people read: the vault's
/// `creds list`, the `time_now` tool, benchmark reports.
public struct CalendarTime: Sendable, Equatable {
    public var year, month, day, hour, minute, second: Int

    /// The UTC fields of `unix` seconds since the epoch.
    public init(utc unix: Int) {
        var t = time_t(unix)
        var parts = tm()
        gmtime_r(&t, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
    }

    /// The fields of a UTC moment (month 1-12); `unixSeconds` gives it back as seconds since the epoch.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
    }

    /// Seconds since the epoch of these UTC fields (`timegm`: out-of-range fields roll over).
    public var unixSeconds: Int {
        var t = tm()
        t.tm_year = Int32(clamping: year - 1900)
        t.tm_mon = Int32(clamping: month - 1)
        t.tm_mday = Int32(clamping: day)
        t.tm_hour = Int32(clamping: hour)
        t.tm_min = Int32(clamping: minute)
        t.tm_sec = Int32(clamping: second)
        return Int(timegm(&t))
    }

    /// `2026-11-22`, then `separator`, then `03:21:07`.
    public func formatted(separator: String = " ") -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day))\(separator)\(two(hour)):\(two(minute)):\(two(second))"
    }
}
