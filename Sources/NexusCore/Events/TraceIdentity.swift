/// A W3C trace id: 128 bits, never all zero.
public struct TraceID: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low == 0 && high == 0 ? 1 : low
    }

    /// 32 lowercase hex digits, as OTLP/JSON and `traceparent` write it.
    public var hex: String { TraceIdentity.hex(high) + TraceIdentity.hex(low) }
}

/// Where the ids of a session's traces come from, shared by the tracer (which builds the spans from events)
/// and the module host's caller (which puts a `traceparent` into each MCP `tools/call`).
///
/// It exists because the two never talk: the tracer reads the event bus asynchronously, so when a tool
/// call leaves for a module the tracer may not have seen its `toolCall` event yet. Instead both derive the
/// same ids from a random per-session seed: the trace id from the turn, the MCP client span's id from
/// the turn and the tool call's id. A module learns exactly one span id per call (its parent) and nothing
/// it sends back reaches the trace; without the seed it cannot predict another turn's ids.
public struct TraceIdentity: Sendable, Equatable {
    let seed0: UInt64
    let seed1: UInt64

    /// A fresh random seed.
    public init() {
        var rng = SystemRandomNumberGenerator()
        self.init(seed0: rng.next(), seed1: rng.next())
    }

    /// A fixed seed, for tests.
    public init(seed0: UInt64, seed1: UInt64) {
        self.seed0 = seed0
        self.seed1 = seed1
    }

    /// The trace of turn `turn` (every span of the turn belongs to it).
    public func traceID(turn: Int) -> TraceID {
        let t = UInt64(bitPattern: Int64(turn))
        return TraceID(high: Self.mix(seed0 ^ t), low: Self.mix(seed1 &+ Self.mix(t ^ 0x7472_6163_6521)))
    }

    /// The span id of the MCP client span (`tools/call {tool}`) of tool call `callID` in turn `turn`:
    /// the parent the module sees in its `traceparent`.
    public func toolCallSpanID(turn: Int, callID: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the call id
        for b in callID.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let id = Self.mix(h ^ seed1 ^ Self.mix(UInt64(bitPattern: Int64(turn)) &+ seed0))
        return id == 0 ? 1 : id
    }

    /// The `traceparent` a module gets for tool call `callID` of turn `turn` (sampled).
    public func traceparent(turn: Int, callID: String) -> String {
        "00-\(traceID(turn: turn).hex)-\(Self.hex(toolCallSpanID(turn: turn, callID: callID)))-01"
    }

    /// splitmix64's step: every input bit moves every output bit.
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 16 lowercase hex digits.
    public static func hex(_ v: UInt64) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0x30, count: 16)
        var x = v
        for i in stride(from: 15, through: 0, by: -1) {
            out[i] = digits[Int(x & 0xf)]
            x >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
