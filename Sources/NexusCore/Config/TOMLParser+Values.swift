/// Values: the dispatch on the first byte, arrays, inline tables, and the whitespace rules between them.
extension TOMLParser {
    mutating func parseValue() throws(TOMLError) -> TOMLValue {
        let valueLine = line
        guard let c = peek() else { throw error("expected a value, found the end of the file") }
        switch c {
        case UInt8(ascii: "\""):
            if peek(1) == c, peek(2) == c {
                return TOMLValue(.string(try parseMultilineBasicString()), line: valueLine)
            }
            return TOMLValue(.string(try parseBasicString()), line: valueLine)
        case UInt8(ascii: "'"):
            if peek(1) == c, peek(2) == c {
                return TOMLValue(.string(try parseMultilineLiteralString()), line: valueLine)
            }
            return TOMLValue(.string(try parseLiteralString()), line: valueLine)
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            return try parseInlineTable()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if matchWord("true") { return TOMLValue(.boolean(true), line: valueLine) }
            if matchWord("false") { return TOMLValue(.boolean(false), line: valueLine) }
            throw error("expected a value, found \(describe(c)) (strings need quotes)")
        default:
            return try parseNumberOrDate()
        }
    }

    /// Consumes `word` when it stands alone (followed by a delimiter, not by more key characters).
    mutating func matchWord(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else { return false }
        if pos + w.count < bytes.count, Self.isBareKeyByte(bytes[pos + w.count]) { return false }
        pos += w.count
        return true
    }

    mutating func parseArray() throws(TOMLError) -> TOMLValue {
        let startLine = line
        try enter()
        defer { depth -= 1 }
        pos += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            guard let c = peek() else { throw TOMLError(line: startLine, "array is not closed with \"]\"") }
            if c == UInt8(ascii: "]") {
                pos += 1
                return TOMLValue(.array(items), line: startLine)
            }
            items.append(try parseValue())
            try skipBlank()
            guard let d = peek() else { throw TOMLError(line: startLine, "array is not closed with \"]\"") }
            if d == UInt8(ascii: ",") {
                pos += 1
            } else if d != UInt8(ascii: "]") {
                throw error("expected \",\" or \"]\" in array, found \(describe(d))")
            }
        }
    }

    mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        let startLine = line
        try enter()
        defer { depth -= 1 }
        pos += 1
        let table = TOMLTableBuilder(origin: .header, line: startLine)
        skipSpaces()
        if peek() == UInt8(ascii: "}") {
            pos += 1
            return TOMLValue(.table(table.build()), line: startLine)
        }
        while true {
            skipSpaces()
            guard let c = peek(), c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") else {
                throw error("inline table is not closed with \"}\" on its line")
            }
            if c == UInt8(ascii: "}") { throw error("trailing comma in inline table") }
            try parseKeyValue(into: table)
            skipSpaces()
            guard let d = peek() else { throw error("inline table is not closed with \"}\"") }
            if d == UInt8(ascii: "}") {
                pos += 1
                return TOMLValue(.table(table.build()), line: startLine)
            }
            guard d == UInt8(ascii: ",") else {
                if d == UInt8(ascii: "\n") || d == UInt8(ascii: "\r") {
                    throw error("inline table is not closed with \"}\" on its line")
                }
                throw error("expected \",\" or \"}\" in inline table, found \(describe(d))")
            }
            pos += 1
        }
    }

    // MARK: Whitespace, newlines, comments

    func peek(_ ahead: Int = 0) -> UInt8? {
        let i = pos + ahead
        return i < bytes.count ? bytes[i] : nil
    }

    mutating func skipSpaces() {
        while let c = peek(), c == 0x20 || c == 0x09 { pos += 1 }
    }

    /// Inside arrays: spaces, newlines and comments.
    mutating func skipBlank() throws(TOMLError) {
        while let c = peek() {
            if c == 0x20 || c == 0x09 {
                pos += 1
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                try consumeNewline()
            } else if c == UInt8(ascii: "#") {
                try skipComment()
            } else {
                return
            }
        }
    }

    mutating func consumeNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else { throw error("carriage return without a line feed") }
            pos += 1
        }
        pos += 1
        line += 1
    }

    /// From `#` to the end of the line; control characters other than tab are not allowed in comments.
    mutating func skipComment() throws(TOMLError) {
        pos += 1
        while let c = peek(), c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { return }
            if Self.isControl(c) { throw error("control character \(describe(c)) in a comment") }
            pos += 1
        }
    }

    static func isControl(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    func error(_ message: String) -> TOMLError { TOMLError(line: line, message) }

    func describe(_ c: UInt8) -> String {
        switch c {
        case 0x0A: "a newline"
        case 0x0D: "a carriage return"
        case 0x09: "a tab"
        case 0x20..<0x7F: "\"\(Character(Unicode.Scalar(c)))\""
        default: "byte 0x" + (c < 16 ? "0" : "") + String(c, radix: 16, uppercase: true)
        }
    }
}
