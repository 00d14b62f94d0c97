import NexusCore
import NexusPOSIX

/// Runs a program on a fresh pseudo-terminal, waits for a marker, types lines, and collects what
/// was drawn: "a person at a terminal" for end-to-end tests.
public enum PseudoTerminal {
    public struct Result: Sendable {
        public var output: String
        public var sawMarker: Bool
        public var status: Int32
    }

    /// Waits for `marker`, then types each of `typing` in turn (`run(_:environment:steps:timeout:)`).
    public static func run(
        _ argv: [String], environment: [String: String], typing: [String], waitFor marker: String, timeout: Double = 15
    ) -> Result {
        let first = Step(waitFor: marker, type: typing.first ?? "")
        let rest = typing.dropFirst().map { Step(waitFor: "", type: $0) }
        return run(argv, environment: environment, steps: [first] + rest, timeout: timeout)
    }

    static func now() -> Double { Double(MonotonicClock.nanoseconds()) / 1e9 }
}
