import NexusCore
import NexusPOSIX

/// The other ways servers say how long to wait when `Retry-After` is not plain seconds: an HTTP date,
/// OpenAI's `x-ratelimit-reset-requests` durations ("1s", "6m0s", "250ms"), or prose in the error
/// message ("Please try again in 20s").
enum RetryAfter {
    /// `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` → seconds from now (never negative).
    static func httpDate(_ value: String?) -> Double? {
        guard let v = value?.trimmingSpaces, v.contains(","), v.hasSuffix("GMT") else { return nil }
        let parts = v.split(separator: " ")
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard parts.count == 6, let day = Int(parts[1]), let year = Int(parts[3]),
            let month = months.firstIndex(of: parts[2].lowercased())
        else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        let when = CalendarTime(year: year, month: month + 1, day: day, hour: hms[0], minute: hms[1], second: hms[2])
        return max(0, Double(when.unixSeconds) - WallClock.now().rounded(.down))
    }

    /// "1s", "6m0s", "1h2m3.5s", "250ms" → seconds.
    static func duration(_ value: String?) -> Double? {
        guard let v = value?.trimmingSpaces, !v.isEmpty else { return nil }
        var total = 0.0
        var number = ""
        var sawUnit = false
        var chars = Array(v)
        chars.append(" ")
        var i = 0
        while i < chars.count - 1 {
            let c = chars[i]
            if c.isNumber || c == "." {
                number.append(c)
            } else {
                guard let n = Double(number) else { return nil }
                switch c {
                case "h": total += n * 3600
                case "m" where chars[i + 1] == "s":
                    total += n / 1000
                    i += 1
                case "m": total += n * 60
                case "s": total += n
                default: return nil
                }
                number = ""
                sawUnit = true
            }
            i += 1
        }
        return sawUnit && number.isEmpty ? total : nil
    }

    /// "… try again in 20s …" / "… retry in 1.5 seconds …" → seconds.
    static func fromMessage(_ text: String) -> Double? {
        let lower = text.lowercased()
        for marker in ["try again in ", "retry in ", "retry after "] {
            guard let r = lower.firstRange(of: marker) else { continue }
            let rest = lower[r.upperBound...]
            let num = rest.prefix { $0.isNumber || $0 == "." }
            guard let n = Double(num) else { continue }
            let unit = rest.dropFirst(num.count).drop { $0 == " " }
            if unit.hasPrefix("ms") { return n / 1000 }
            if unit.hasPrefix("m") && !unit.hasPrefix("ms") && !unit.hasPrefix("s") { return n * 60 }
            return n
        }
        return nil
    }
}
