/// The four TOML string forms: basic (escapes), literal (none), and their multi-line variants. Each is returned with
/// its long runs of combining marks in canonical order (`MarkOrder`): keys and values are compared with the ones
/// nexus knows.
extension TOMLParser {
    /// `"..."` with escapes; positioned on the opening quote.
    mutating func parseBasicString() throws(TOMLError) -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("string is not closed with \"\\\"\"") }
            switch c {
            case UInt8(ascii: "\""):
                pos += 1
                return MarkOrder.ordered(String(decoding: out, as: UTF8.self))
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("string is not closed on its line (use \"\"\" for multi-line strings)")
            default:
                if Self.isControl(c) { throw error("control character \(describe(c)) in a string; escape it") }
                out.append(c)
                pos += 1
            }
        }
    }

    /// `'...'`, taken as written; positioned on the opening quote.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        pos += 1
        let start = pos
        while true {
            guard let c = peek() else { throw error("string is not closed with \"'\"") }
            if c == UInt8(ascii: "'") {
                let s = String(decoding: bytes[start..<pos], as: UTF8.self)
                pos += 1
                return MarkOrder.ordered(s)
            }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                throw error("string is not closed on its line (use ''' for multi-line strings)")
            }
            if Self.isControl(c) { throw error("control character \(describe(c)) in a literal string") }
            pos += 1
        }
    }

    /// `"""..."""`: escapes, a newline right after the opening quotes is dropped, and a backslash at the
    /// end of a line swallows the line break and the indentation that follows.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let startLine = line
        pos += 3
        try skipFirstNewline()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw TOMLError(line: startLine, "multi-line string is not closed with \"\"\"")
            }
            switch c {
            case UInt8(ascii: "\""):
                if let extra = try closingQuotes(UInt8(ascii: "\"")) {
                    out.append(contentsOf: repeatElement(UInt8(ascii: "\""), count: extra))
                    return MarkOrder.ordered(String(decoding: out, as: UTF8.self))
                }
                out.append(c)
                pos += 1
            case UInt8(ascii: "\\"):
                if isLineEndingBackslash() {
                    pos += 1
                    try skipWhitespaceAndNewlines()
                } else {
                    try parseEscape(into: &out)
                }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            default:
                if Self.isControl(c) { throw error("control character \(describe(c)) in a string; escape it") }
                out.append(c)
                pos += 1
            }
        }
    }

    /// `'''...'''`: taken as written, a newline right after the opening quotes is dropped.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let startLine = line
        pos += 3
        try skipFirstNewline()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw TOMLError(line: startLine, "multi-line string is not closed with '''") }
            switch c {
            case UInt8(ascii: "'"):
                if let extra = try closingQuotes(UInt8(ascii: "'")) {
                    out.append(contentsOf: repeatElement(UInt8(ascii: "'"), count: extra))
                    return MarkOrder.ordered(String(decoding: out, as: UTF8.self))
                }
                out.append(c)
                pos += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            default:
                if Self.isControl(c) { throw error("control character \(describe(c)) in a literal string") }
                out.append(c)
                pos += 1
            }
        }
    }

    /// At a quote inside a multi-line string: when 3–5 quotes close it, consumes them and returns how many
    /// belong to the content (0–2); nil when fewer than three (they are content).
    mutating func closingQuotes(_ q: UInt8) throws(TOMLError) -> Int? {
        var n = 0
        while peek(n) == q { n += 1 }
        if n < 3 { return nil }
        if n > 5 { throw error("too many quotes (\(n)) closing a multi-line string") }
        pos += n
        return n - 3
    }

    mutating func skipFirstNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\n") || (peek() == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n")) {
            try consumeNewline()
        }
    }

    /// A backslash followed only by spaces/tabs up to the end of the line.
    func isLineEndingBackslash() -> Bool {
        var i = 1
        while let c = peek(i), c == 0x20 || c == 0x09 { i += 1 }
        return peek(i) == UInt8(ascii: "\n") || (peek(i) == UInt8(ascii: "\r") && peek(i + 1) == UInt8(ascii: "\n"))
    }

    mutating func skipWhitespaceAndNewlines() throws(TOMLError) {
        while let c = peek() {
            if c == 0x20 || c == 0x09 {
                pos += 1
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                try consumeNewline()
            } else {
                return
            }
        }
    }

    /// Positioned on a backslash: appends the escaped character's UTF-8 bytes.
    mutating func parseEscape(into out: inout [UInt8]) throws(TOMLError) {
        pos += 1
        guard let c = peek() else { throw error("string ends in the middle of an escape") }
        pos += 1
        switch c {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"): try appendUnicodeEscape(digits: 4, into: &out)
        case UInt8(ascii: "U"): try appendUnicodeEscape(digits: 8, into: &out)
        default: throw error("unknown escape \\\(describe(c).trimmingQuotes) in a string")
        }
    }

    mutating func appendUnicodeEscape(digits: Int, into out: inout [UInt8]) throws(TOMLError) {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let c = peek(), let d = Self.hexDigit(c) else {
                throw error("\\\(digits == 4 ? "u" : "U") needs \(digits) hex digits")
            }
            value = value * 16 + UInt32(d)
            pos += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("\\\(digits == 4 ? "u" : "U") escape is not a Unicode scalar value")
        }
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    static func hexDigit(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: Int(c - 0x30)
        case 0x41...0x46: Int(c - 0x41 + 10)
        case 0x61...0x66: Int(c - 0x61 + 10)
        default: nil
        }
    }
}

extension String {
    fileprivate var trimmingQuotes: String {
        hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
