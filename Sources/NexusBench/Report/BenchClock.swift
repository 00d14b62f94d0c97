import NexusCore
import NexusPOSIX

/// The UTC date and time each benchmark table is stamped with (`2026-11-22 04:30 UTC`), without Foundation.
public enum BenchClock {
    public static func utcNow() -> String {
        let t = CalendarTime(utc: Int(WallClock.now()))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(t.year)-\(two(t.month))-\(two(t.day)) \(two(t.hour)):\(two(t.minute)) UTC"
    }
}
