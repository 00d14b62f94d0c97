import NexusCore

/// A module's circuit breaker: it stops sending calls to a module that keeps failing, and lets one
/// probe through after a cool-down to find out whether it recovered.
///
/// closed (healthy) → degraded after any recent failure → open (failing) after `openAfterConsecutive`
/// failures in a row or an error rate over `openErrorRate` in the last `window` calls → half-open after
/// `coolDown` seconds: one probe call; success closes it, failure opens it again. Every change of the
/// user-visible health is returned as a `Transition` so the host can publish an event. Time is passed
/// in, so behaviour is exact in tests.
public struct CircuitBreaker: Sendable, Equatable {
    public struct Policy: Sendable, Equatable {
        public var openAfterConsecutive: Int
        public var window: Int
        public var minCallsForRate: Int
        public var openErrorRate: Double
        public var degradedErrorRate: Double
        public var coolDown: Double

        public init(
            openAfterConsecutive: Int = 3, window: Int = 20, minCallsForRate: Int = 10, openErrorRate: Double = 0.5,
            degradedErrorRate: Double = 0.1, coolDown: Double = 30
        ) {
            self.openAfterConsecutive = openAfterConsecutive
            self.window = window
            self.minCallsForRate = minCallsForRate
            self.openErrorRate = openErrorRate
            self.degradedErrorRate = degradedErrorRate
            self.coolDown = coolDown
        }
    }

    public enum Phase: Sendable, Equatable {
        case closed
        case open(until: Double)
        case halfOpen(probeInFlight: Bool)
    }

    /// What to do with a call about to be made.
    public enum Admission: Sendable, Equatable {
        case allow
        /// The single half-open probe.
        case probe
        case reject(retryInSeconds: Double)
    }

    public struct Transition: Sendable, Equatable {
        public var from: ModuleHealth
        public var to: ModuleHealth
        public var reason: String
    }

    public let policy: Policy
    public private(set) var phase: Phase = .closed
    public private(set) var consecutiveFailures = 0
    private var recent: [Bool] = []  // true = failure, newest last
    public private(set) var health: ModuleHealth = .healthy

    public init(policy: Policy = Policy()) { self.policy = policy }

    public var errorRate: Double {
        recent.isEmpty ? 0 : Double(recent.filter { $0 }.count) / Double(recent.count)
    }

    /// Decides whether a call may go out now; moves open → half-open once the cool-down passed.
    public mutating func admit(now: Double) -> (Admission, Transition?) {
        switch phase {
        case .closed: return (.allow, nil)
        case .open(let until):
            if now < until { return (.reject(retryInSeconds: until - now), nil) }
            phase = .halfOpen(probeInFlight: true)
            return (.probe, setHealth(.degraded, "half-open: probing after \(Int(policy.coolDown)) s cool-down"))
        case .halfOpen(let inFlight):
            if inFlight { return (.reject(retryInSeconds: 1), nil) }
            phase = .halfOpen(probeInFlight: true)
            return (.probe, nil)
        }
    }

    /// Records a call's outcome and returns the health change it caused, if any.
    public mutating func record(success: Bool, now: Double, error: String? = nil) -> Transition? {
        recent.append(!success)
        if recent.count > policy.window { recent.removeFirst(recent.count - policy.window) }
        consecutiveFailures = success ? 0 : consecutiveFailures + 1
        if case .halfOpen = phase {
            if success {
                phase = .closed
                recent.removeAll()
                return setHealth(.healthy, "probe succeeded: circuit closed")
            }
            phase = .open(until: now + policy.coolDown)
            return setHealth(.failing, "probe failed: circuit open again" + Self.suffix(error))
        }
        if !success {
            if consecutiveFailures >= policy.openAfterConsecutive {
                phase = .open(until: now + policy.coolDown)
                return setHealth(
                    .failing, "\(consecutiveFailures) failures in a row: circuit open" + Self.suffix(error))
            }
            if recent.count >= policy.minCallsForRate && errorRate > policy.openErrorRate {
                phase = .open(until: now + policy.coolDown)
                return setHealth(
                    .failing, "error rate \(Int(errorRate * 100))% over the last \(recent.count) calls: circuit open")
            }
            return setHealth(.degraded, "call failed" + Self.suffix(error))
        }
        if health == .degraded && consecutiveFailures == 0 {
            let rateOK =
                recent.count < policy.minCallsForRate
                ? recent.suffix(3).allSatisfy { !$0 } : errorRate <= policy.degradedErrorRate
            if rateOK { return setHealth(.healthy, "calls succeed again") }
        }
        return nil
    }

    /// Back to closed and healthy (after a restart with new files, or enable).
    public mutating func reset() -> Transition? {
        phase = .closed
        consecutiveFailures = 0
        recent.removeAll()
        return setHealth(.healthy, "reset")
    }

    private mutating func setHealth(_ h: ModuleHealth, _ reason: String) -> Transition? {
        guard h != health else { return nil }
        let t = Transition(from: health, to: h, reason: reason)
        health = h
        return t
    }

    private static func suffix(_ e: String?) -> String { e.map { ": \($0)" } ?? "" }
}
