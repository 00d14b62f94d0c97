/// One TOML value together with the line it starts on.
///
/// nexus.toml errors and warnings must name their line (`nexus.toml:12: routing.code_generation: ...`),
/// so the parser keeps the line of every value, every table and every key rather than handing back
/// bare Swift values. Dates and times are kept as the text written (validated, not interpreted):
/// NEXUS has no date-valued settings.
public struct TOMLValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case boolean(Bool)
        /// Offset date-time, local date-time, local date or local time, exactly as written.
        case dateTime(String)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    /// 1-based line where the value starts (for a table: its header, or the first key that made it).
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    public var string: String? { if case .string(let s) = kind { s } else { nil } }
    public var integer: Int? { if case .integer(let i) = kind { i } else { nil } }
    public var float: Double? { if case .float(let d) = kind { d } else { nil } }
    public var boolean: Bool? { if case .boolean(let b) = kind { b } else { nil } }
    public var array: [TOMLValue]? { if case .array(let a) = kind { a } else { nil } }
    public var table: TOMLTable? { if case .table(let t) = kind { t } else { nil } }

    /// An integer or a float, as a Double (settings such as timeouts accept either).
    public var number: Double? {
        switch kind {
        case .integer(let i): Double(i)
        case .float(let d): d
        default: nil
        }
    }

    /// "a string", "an integer", ...: for messages such as "got an integer".
    public var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .dateTime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A TOML table: keys in the order they were written, each with its value and the line of the key.
///
/// Array-of-tables (`[[x]]`) appear as an `.array` of `.table` values, each carrying its header line.
public struct TOMLTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        /// Line of the key (for dotted keys and implicit tables, where they were first written).
        public var line: Int
        public var value: TOMLValue

        public init(key: String, line: Int, value: TOMLValue) {
            self.key = key
            self.line = line
            self.value = value
        }
    }

    public private(set) var entries: [Entry]
    /// Line of the header or first key that made this table; 0 for the document root.
    public var line: Int

    public init(entries: [Entry] = [], line: Int = 0) {
        self.entries = entries
        self.line = line
    }

    public var keys: [String] { entries.map(\.key) }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> TOMLValue? { entry(key)?.value }

    public func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

    /// Appends or replaces `key` (used when building tables in code; the parser rejects duplicates itself).
    public mutating func set(_ key: String, _ value: TOMLValue, line: Int? = nil) {
        let entry = Entry(key: key, line: line ?? value.line, value: value)
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i] = entry
        } else {
            entries.append(entry)
        }
    }

    /// Follows a dotted path of table keys: `table.value(at: ["providers", "local", "base_url"])`.
    public func value(at path: [String]) -> TOMLValue? {
        guard let first = path.first else { return TOMLValue(.table(self), line: line) }
        guard let v = self[first] else { return nil }
        if path.count == 1 { return v }
        return v.table?.value(at: Array(path.dropFirst()))
    }
}

/// A TOML document that cannot be read: what is wrong and on which line.
///
/// The parser does no I/O and does not know the file name; `ConfigLoader` prefixes it (`nexus.toml:3: ...`).
public struct TOMLError: UserFacingError, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var userMessage: String { "line \(line): \(message)" }
    public var exitCode: ExitStatus { .usage }
    public var description: String { userMessage }
}
