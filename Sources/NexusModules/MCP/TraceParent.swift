/// W3C Trace Context `traceparent` values (`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`), which MCP
/// 2026-07-28 carries in a request's `_meta`. A caller (the orchestrator's tracing) passes one per turn or
/// call; without one, each request gets a fresh random id so a server's own traces still stay apart.
public enum TraceParent {
    /// A new sampled `traceparent` with random, non-zero trace and parent ids.
    public static func random() -> String {
        var rng = SystemRandomNumberGenerator()
        func hex(_ bytes: Int) -> String {
            var s = ""
            while true {
                s = ""
                for _ in 0..<bytes { s += byteHex(UInt8.random(in: 0...255, using: &rng)) }
                if s.contains(where: { $0 != "0" }) { return s }
            }
        }
        return "00-\(hex(16))-\(hex(8))-01"
    }

    /// `value` when it is a valid version-00 `traceparent` (lowercase hex, ids not all zero), else nil.
    public static func valid(_ value: String?) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00" else { return nil }
        let lengths = [2, 32, 16, 2]
        for (part, length) in zip(parts, lengths) {
            guard part.utf8.count == length, part.utf8.allSatisfy(isLowerHex) else { return nil }
        }
        guard parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }) else { return nil }
        return value
    }

    private static func isLowerHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) }

    private static func byteHex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
    }
}
