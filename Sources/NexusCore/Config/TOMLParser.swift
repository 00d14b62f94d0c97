/// A TOML 1.0 reader on the standard library alone, keeping the line of every key and value.
///
/// NEXUS must not link Foundation, and its config errors must name a line, which off-the-shelf readers
/// do not keep. Input is bytes: invalid UTF-8 is reported with its line before anything else is read.
/// Usage: `let doc = try TOMLParser.parse(bytes)`; `doc["routing"]?.table?["code_generation"]?.line`.
public struct TOMLParser {
    let bytes: [UInt8]
    var pos = 0
    var line = 1
    let root = TOMLTableBuilder(origin: .root, line: 0)
    var current: TOMLTableBuilder
    /// How deep the value being read sits: arrays, inline tables and dotted key parts each add one.
    var depth = 0

    /// Deepest nesting accepted, in a key path or in a value; deeper input is an error on its line
    /// instead of exhausting the stack (a config is never legitimately this deep).
    public static let maxDepth = 100

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.current = root
    }

    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        try validateUTF8(bytes)
        var parser = TOMLParser(bytes)
        try parser.parseDocument()
        return parser.root.build()
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        while pos < bytes.count {
            skipSpaces()
            guard let c = peek() else { break }
            switch c {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "["):
                if peek(1) == UInt8(ascii: "[") {
                    try parseArrayTableHeader()
                } else {
                    try parseTableHeader()
                }
            default:
                try parseKeyValue(into: current)
            }
            try endOfLine()
        }
    }

    /// After a statement: optional spaces, an optional comment, then a newline or the end.
    mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard let c = peek() else { return }
        if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
            try consumeNewline()
            return
        }
        throw error("expected the end of the line, found \(describe(c))")
    }

    mutating func parseTableHeader() throws(TOMLError) {
        let headerLine = line
        pos += 1
        skipSpaces()
        let path = try parseKey()
        skipSpaces()
        guard peek() == UInt8(ascii: "]") else { throw error("expected \"]\" to close the table header") }
        pos += 1
        let parent = try navigateHeader(Array(path.dropLast()), line: headerLine)
        let name = path[path.count - 1]
        let shown = Self.dotted(path)
        switch parent[name] {
        case nil:
            let table = TOMLTableBuilder(origin: .header, line: headerLine)
            parent.add(name, .table(table), line: headerLine)
            current = table
        case .table(let table):
            switch table.origin {
            case .implicit:
                table.origin = .header
                table.line = headerLine
                current = table
            case .header, .root:
                throw error("table [\(shown)] is defined twice (first on line \(table.line))")
            case .dotted:
                throw error("table [\(shown)] was already defined by dotted keys on line \(table.line)")
            }
        case .tableArray(let array):
            throw error("[\(shown)] is an array of tables (line \(array.line)); use [[\(shown)]]")
        case .value:
            throw error("key \(shown) is already a value (line \(parent.line(of: name))), not a table")
        }
    }

    mutating func parseArrayTableHeader() throws(TOMLError) {
        let headerLine = line
        pos += 2
        skipSpaces()
        let path = try parseKey()
        skipSpaces()
        guard peek() == UInt8(ascii: "]"), peek(1) == UInt8(ascii: "]") else {
            throw error("expected \"]]\" to close the array-of-tables header")
        }
        pos += 2
        let parent = try navigateHeader(Array(path.dropLast()), line: headerLine)
        let name = path[path.count - 1]
        let shown = Self.dotted(path)
        let table = TOMLTableBuilder(origin: .header, line: headerLine)
        switch parent[name] {
        case nil:
            let array = TOMLTableArrayBuilder(line: headerLine)
            array.tables.append(table)
            parent.add(name, .tableArray(array), line: headerLine)
        case .tableArray(let array):
            array.tables.append(table)
        case .table(let existing):
            throw error("[[\(shown)]] names a table defined on line \(existing.line), not an array of tables")
        case .value:
            throw error("[[\(shown)]] names a value defined on line \(parent.line(of: name))")
        }
        current = table
    }

    /// Walks a header's prefix from the root, making implicit tables; `[[x]]` prefixes go into the last element.
    func navigateHeader(_ path: [String], line headerLine: Int) throws(TOMLError) -> TOMLTableBuilder {
        var table = root
        for (i, key) in path.enumerated() {
            switch table[key] {
            case nil:
                let made = TOMLTableBuilder(origin: .implicit, line: headerLine)
                table.add(key, .table(made), line: headerLine)
                table = made
            case .table(let next):
                table = next
            case .tableArray(let array):
                guard let last = array.tables.last else { throw error("empty array of tables") }
                table = last
            case .value:
                let shown = Self.dotted(Array(path[...i]))
                throw error("key \(shown) is already a value (line \(table.line(of: key))), not a table")
            }
        }
        return table
    }

    // MARK: Key/value pairs

    mutating func parseKeyValue(into table: TOMLTableBuilder) throws(TOMLError) {
        let keyLine = line
        let path = try parseKey()
        skipSpaces()
        guard peek() == UInt8(ascii: "=") else {
            throw error("expected \"=\" after key \(Self.dotted(path))")
        }
        pos += 1
        skipSpaces()
        guard let c = peek(), c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r"), c != UInt8(ascii: "#") else {
            throw error("missing value for key \(Self.dotted(path))")
        }
        try enter(levels: path.count - 1)
        defer { depth -= path.count - 1 }
        let value = try parseValue()
        try insert(value, at: path, keyLine: keyLine, into: table)
    }

    func insert(_ value: TOMLValue, at path: [String], keyLine: Int, into start: TOMLTableBuilder) throws(TOMLError) {
        var table = start
        for (i, key) in path.dropLast().enumerated() {
            let shown = Self.dotted(Array(path[...i]))
            switch table[key] {
            case nil:
                let made = TOMLTableBuilder(origin: .dotted, line: keyLine)
                table.add(key, .table(made), line: keyLine)
                table = made
            case .table(let next) where next.origin == .dotted:
                table = next
            case .table(let next):
                throw TOMLError(
                    line: keyLine, "cannot add to table \(shown) with a dotted key: it was defined on line \(next.line)"
                )
            case .tableArray(let array):
                throw TOMLError(
                    line: keyLine, "cannot add to array of tables \(shown) (line \(array.line)) with a dotted key")
            case .value:
                throw TOMLError(
                    line: keyLine, "key \(shown) is already a value (line \(table.line(of: key))), not a table")
            }
        }
        let name = path[path.count - 1]
        if table[name] != nil {
            throw TOMLError(
                line: keyLine, "duplicate key \(Self.dotted(path)) (first defined on line \(table.line(of: name)))")
        }
        table.add(name, .value(value), line: keyLine)
    }

    /// `a`, `a.b`, `"quoted key".'literal'`, with optional spaces around the dots.
    mutating func parseKey() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            parts.append(try parseSimpleKey())
            guard parts.count <= Self.maxDepth else { throw error("key has more than \(Self.maxDepth) dotted parts") }
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            pos += 1
            skipSpaces()
        }
    }

    /// Goes `levels` deeper, refusing to pass `maxDepth`.
    mutating func enter(levels: Int = 1) throws(TOMLError) {
        depth += levels
        guard depth <= Self.maxDepth else {
            depth -= levels
            throw error("nesting deeper than \(Self.maxDepth) levels")
        }
    }

    mutating func parseSimpleKey() throws(TOMLError) -> String {
        guard let c = peek() else { throw error("expected a key, found the end of the file") }
        if c == UInt8(ascii: "\"") {
            if peek(1) == c, peek(2) == c { throw error("a key cannot be a multi-line string") }
            return try parseBasicString()
        }
        if c == UInt8(ascii: "'") {
            if peek(1) == c, peek(2) == c { throw error("a key cannot be a multi-line string") }
            return try parseLiteralString()
        }
        let start = pos
        while let b = peek(), Self.isBareKeyByte(b) { pos += 1 }
        guard pos > start else { throw error("expected a key, found \(describe(c))") }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    static func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    /// A key path as TOML would write it: bare parts as they are, others quoted.
    public static func dotted(_ path: [String]) -> String {
        path.map(TOMLWriter.key).joined(separator: ".")
    }
}
