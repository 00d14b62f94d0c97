/// `rate_limit_per_minute` enforced as a sliding 60-second window of call start times.
public struct RateLimiter: Sendable, Equatable {
    public let perMinute: Int
    private var starts: [Double] = []

    public init(perMinute: Int) { self.perMinute = perMinute }

    /// Takes a slot at `now`, or returns the seconds until one frees up.
    public mutating func take(now: Double) -> Double? {
        starts.removeAll { $0 <= now - 60 }
        if starts.count >= perMinute {
            return max(0, (starts.first ?? now) + 60 - now)
        }
        starts.append(now)
        return nil
    }
}
