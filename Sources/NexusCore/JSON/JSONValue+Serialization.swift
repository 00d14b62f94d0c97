extension JSONValue {
    /// Compact JSON text (no spaces, no newlines), keys in insertion order. Non-finite numbers become null.
    public var serialized: String {
        var out = ""
        out.reserveCapacity(64)
        write(to: &out)
        return out
    }

    /// Indented JSON text for people to read (`nexus modules info`, docs).
    public func pretty(indent: Int = 2) -> String {
        var out = ""
        writePretty(to: &out, level: 0, indent: indent)
        return out
    }

    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d): JSONValue.writeNumber(d, to: &out)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            out += "["
            for (n, v) in a.enumerated() {
                if n > 0 { out += "," }
                v.write(to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            var first = true
            for (k, v) in o.pairs {
                if !first { out += "," }
                first = false
                JSONValue.writeString(k, to: &out)
                out += ":"
                v.write(to: &out)
            }
            out += "}"
        }
    }

    private func writePretty(to out: inout String, level: Int, indent: Int) {
        let pad = String(repeating: " ", count: (level + 1) * indent)
        let closePad = String(repeating: " ", count: level * indent)
        switch self {
        case .array(let a) where !a.isEmpty:
            out += "[\n"
            for (n, v) in a.enumerated() {
                out += pad
                v.writePretty(to: &out, level: level + 1, indent: indent)
                out += n + 1 < a.count ? ",\n" : "\n"
            }
            out += closePad + "]"
        case .object(let o) where !o.isEmpty:
            out += "{\n"
            let pairs = o.pairs
            for (n, (k, v)) in pairs.enumerated() {
                out += pad
                JSONValue.writeString(k, to: &out)
                out += ": "
                v.writePretty(to: &out, level: level + 1, indent: indent)
                out += n + 1 < pairs.count ? ",\n" : "\n"
            }
            out += closePad + "}"
        default:
            write(to: &out)
        }
    }

    static func writeNumber(_ d: Double, to out: inout String) {
        guard d.isFinite else {
            out += "null"
            return
        }
        if d.rounded() == d, abs(d) < 1e15 {
            out += String(Int64(d))
        } else {
            out += "\(d)"
        }
    }

    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        var needsEscape = false
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}
