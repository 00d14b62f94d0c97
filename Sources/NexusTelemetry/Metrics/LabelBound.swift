import Synchronization

/// Keeps one label's values few and printable, whatever modules, models or servers send.
///
/// A label value that a module or a model server can choose (a module name, a model name, an outcome)
/// would otherwise let hostile input grow the series without end and the `/metrics` page with it. The
/// first `capacity` distinct values pass (cleaned: at most 64 bytes of `[A-Za-z0-9_.:/@+-]`, anything else
/// becomes `_`); every later new value is reported as `other`.
public final class LabelBound: Sendable {
    public static let overflow = "other"
    public let capacity: Int
    private let seen = Mutex(Set<String>())

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The value to expose for `raw`.
    public func label(_ raw: String) -> String {
        let clean = Self.clean(raw)
        return seen.withLock { s in
            if s.contains(clean) { return clean }
            if s.count >= capacity { return Self.overflow }
            s.insert(clean)
            return clean
        }
    }

    /// How many distinct values have been let through.
    public var count: Int { seen.withLock { $0.count } }

    static func clean(_ raw: String) -> String {
        if raw.isEmpty { return "none" }
        var out = ""
        out.reserveCapacity(min(raw.utf8.count, 64))
        for b in raw.utf8.prefix(64) {
            let ok =
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x5F || b == 0x2E || b == 0x3A || b == 0x2F || b == 0x40 || b == 0x2B || b == 0x2D
            out.unicodeScalars.append(ok ? Unicode.Scalar(b) : "_")
        }
        return out
    }
}
