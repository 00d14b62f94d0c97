/// The bytes of the Prometheus text exposition (format 0.0.4): names, escaped label values, numbers.
///
/// It exists so `/metrics` is written without a `String` per line: name-and-labels prefixes are made once per
/// series (`ExpositionBytes.prefix`), and at render time only numbers are formatted, straight into the page.
/// Integers go through a digit loop; doubles that hold an integer too, others through Swift's shortest
/// round-trip formatting (what Go's `ParseFloat`, and so Prometheus, reads back to the same value).
enum ExpositionBytes {
    /// The most bytes `ExpositionWriter.double` or `.integer` writes, with the line's newline.
    static let maxNumber = 32

    /// `name` made a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`): any other byte becomes `_`.
    static func metricName(_ name: String) -> String {
        sanitized(name, colon: true)
    }

    /// `name` made a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
    static func labelName(_ name: String) -> String {
        sanitized(name, colon: false)
    }

    private static func sanitized(_ name: String, colon: Bool) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count + 1)
        for (i, b) in name.utf8.enumerated() {
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || (colon && b == 0x3A)
            let digit = b >= 0x30 && b <= 0x39
            if i == 0 && digit { out.append("_") }
            out.unicodeScalars.append(letter || digit ? Unicode.Scalar(b) : "_")
        }
        return out.isEmpty ? "_" : out
    }

    /// `name{k="v",…,extra} ` (or `name ` without labels): a line's prefix, label values escaped.
    static func prefix(_ name: String, _ labels: [(String, String)], extra: String? = nil) -> [UInt8] {
        var out = Array(name.utf8)
        guard !labels.isEmpty || extra != nil else {
            out.append(0x20)
            return out
        }
        out.append(0x7B)  // {
        for (i, (k, v)) in labels.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(contentsOf: k.utf8)
            out.append(contentsOf: #"=""#.utf8)
            appendEscaped(v, to: &out)
            out.append(0x22)
        }
        if let extra {
            if !labels.isEmpty { out.append(0x2C) }
            out.append(contentsOf: extra.utf8)
        }
        out.append(contentsOf: "} ".utf8)
        return out
    }

    /// A label value inside its quotes: `\` → `\\`, `"` → `\"`, newline → `\n`; every other byte as is (UTF-8).
    static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        for b in value.utf8 {
            switch b {
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            default: out.append(b)
            }
        }
    }

    /// `# HELP name text` (text: `\` → `\\`, newline → `\n`) when there is a text, then `# TYPE name type`.
    static func header(_ name: String, type: String, help: String?) -> [UInt8] {
        var out: [UInt8] = []
        if let help, !help.isEmpty {
            out.append(contentsOf: "# HELP \(name) ".utf8)
            for b in help.utf8 {
                switch b {
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                default: out.append(b)
                }
            }
            out.append(0x0A)
        }
        out.append(contentsOf: "# TYPE \(name) \(type)\n".utf8)
        return out
    }

    /// A histogram bound as its `le` label value (`0.005`, `1.0`, `+Inf`), as swift-prometheus spells it.
    static func bound(_ v: Double) -> String {
        v == .infinity ? "+Inf" : v.description
    }
}

/// Writes a page into memory the caller sized with `ExpositionBytes.maxNumber` per number.
struct ExpositionWriter {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>, base: UnsafeMutablePointer<UInt8>) {
        self.base = base
        capacity = buffer.count
    }

    /// Room left.
    var room: Int { capacity - count }

    mutating func bytes(_ src: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end > start, let s = src.baseAddress else { return }
        (base + count).update(from: s + start, count: end - start)
        count += end - start
    }

    mutating func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    /// A non-negative integer, by digit loop.
    mutating func integer(_ value: UInt64) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var v = value
        var i = count + digits - 1
        while i >= count {
            base[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        }
        count += digits
    }

    /// A double Prometheus reads back exactly: integers by digit loop, others shortest round-trip.
    mutating func double(_ value: Double) {
        if value.isNaN {
            ascii("NaN")
        } else if value.isInfinite {
            ascii(value > 0 ? "+Inf" : "-Inf")
        } else if value == value.rounded(.towardZero), value.magnitude < 1e15 {
            if value < 0 { byte(0x2D) }
            integer(UInt64(value.magnitude))
        } else {
            // Shortest round-trip ("0.25", "1e-05", "1.5e+20"); at most 24 bytes, usually a small String.
            var text = value.description
            text.withUTF8 { bytes($0, from: 0, to: $0.count) }
        }
    }

    private mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { bytes($0, from: 0, to: $0.count) }
    }
}
