/// Spelling of TOML keys and scalar values, for writing configuration back out (`/config`) and for
/// naming keys in messages exactly as a user would write them (`pricing."anthropic:claude-sonnet-4-5"`).
public enum TOMLWriter {
    /// A key as TOML needs it: bare when it can be, else a basic string.
    public static func key(_ k: String) -> String {
        if !k.isEmpty, k.utf8.allSatisfy(TOMLParser.isBareKeyByte) { return k }
        return string(k)
    }

    /// A basic string with the escapes TOML requires.
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A float that reads back as the same value (`3.0`, `1e-05`, `inf`, `nan`).
    public static func float(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let text = d.description
        return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
    }

    public static func array(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ", ") + "]"
    }

    /// A scalar or array value in TOML syntax (tables come out as inline tables).
    public static func value(_ v: TOMLValue) -> String {
        switch v.kind {
        case .string(let s): string(s)
        case .integer(let i): String(i)
        case .float(let d): float(d)
        case .boolean(let b): b ? "true" : "false"
        case .dateTime(let t): t
        case .array(let items): "[" + items.map(value).joined(separator: ", ") + "]"
        case .table(let t):
            t.isEmpty
                ? "{}" : "{ " + t.entries.map { "\(key($0.key)) = \(value($0.value))" }.joined(separator: ", ") + " }"
        }
    }
}
