/// Seconds as they arrive from config, servers and models (Doubles), turned into the integers that
/// clocks, `Task.sleep` and C limits take: saturating instead of trapping on huge, infinite or NaN
/// values (`Int(1e300)` is a crash, and a server's Retry-After is not ours to trust).
public enum Seconds {
    /// The ceiling of every conversion: 100 years, far from any integer overflow when added to a clock.
    public static let ceiling = 100.0 * 365 * 86_400

    /// `s` in nanoseconds; 0 for negative or NaN, the ceiling for anything above it.
    public static func nanoseconds(_ s: Double) -> UInt64 {
        guard s > 0 else { return 0 }
        return UInt64(min(s, ceiling) * 1e9)
    }

    /// `s` in milliseconds, at least `floor`.
    public static func milliseconds(_ s: Double, atLeast floor: Int = 0) -> Int {
        guard s > 0 else { return floor }
        return max(floor, Int(min(s, ceiling) * 1000))
    }

    /// `s` rounded up to whole seconds; 0 for negative or NaN, the ceiling for anything above it.
    public static func wholeRoundedUp(_ s: Double) -> Int {
        guard s > 0 else { return 0 }
        return Int(min(s, ceiling).rounded(.up))
    }

    /// `s` for people: "3 s", "0.25 s", "0 s" for anything not above 0, or "over 100 years".
    public static func describe(_ s: Double) -> String {
        guard !s.isNaN else { return "an unknown time" }
        if s <= 0 { return "0 s" }
        if s > ceiling { return "over 100 years" }
        return s.rounded() == s ? "\(Int(s)) s" : "\(s) s"
    }
}

extension MonotonicClock {
    /// The `nanoseconds()` reading `seconds` from now, saturating.
    public static func deadline(after seconds: Double) -> UInt64 {
        let (sum, overflow) = nanoseconds().addingReportingOverflow(Seconds.nanoseconds(seconds))
        return overflow ? .max : sum
    }
}
