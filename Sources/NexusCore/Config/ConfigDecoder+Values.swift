/// Typed reads of single values, each failing with `FILE:LINE: key.path: expected ...`.
extension ConfigDecoder {
    /// `parent.key`, quoting the key when TOML would (`pricing."anthropic:claude-sonnet-4-5"`).
    static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? TOMLWriter.key(key) : parent + "." + TOMLWriter.key(key)
    }

    func fail(_ value: TOMLValue, _ path: String, expected: String, reveal: Bool = true) -> ConfigError {
        ConfigError(
            file: source, line: value.line, key: path, message: "expected \(expected)",
            hint: "got \(Self.shown(value, reveal: reveal)); see nexus.toml.example")
    }

    /// What was found, for hints: short scalars verbatim (unless they may be secret), else their type.
    static func shown(_ v: TOMLValue, reveal: Bool) -> String {
        switch v.kind {
        case .string(let s) where reveal && s.count <= 60: TOMLWriter.string(s)
        case .integer(let i) where reveal: "\(i)"
        case .boolean(let b) where reveal: b ? "true" : "false"
        case .float(let d) where reveal: d.isFinite ? "\(d)" : d.isNaN ? "nan" : d > 0 ? "inf" : "-inf"
        default: v.typeDescription
        }
    }

    /// Warns about each key of `table` not in `known`, with a suggestion when one is close.
    mutating func warnUnknownKeys(in table: TOMLTable, path: String, known: [String]) {
        for entry in table.entries where !known.contains(entry.key) {
            var message = "unknown key \(Self.join(path, entry.key))"
            if let guess = DidYouMean.suggestion(for: entry.key, among: known) {
                message += " (did you mean \(guess)?)"
            }
            warnings.append(ConfigWarning(file: source, line: entry.line, message: message))
        }
    }

    func table(_ v: TOMLValue, _ path: String) throws(ConfigError) -> TOMLTable {
        guard let t = v.table else { throw fail(v, path, expected: "a table ([\(path)])") }
        return t
    }

    func string(_ v: TOMLValue, _ path: String, reveal: Bool = true) throws(ConfigError) -> String {
        guard let s = v.string else { throw fail(v, path, expected: "a string", reveal: reveal) }
        return s
    }

    func bool(_ v: TOMLValue, _ path: String) throws(ConfigError) -> Bool {
        guard let b = v.boolean else { throw fail(v, path, expected: "true or false") }
        return b
    }

    func int(_ v: TOMLValue, _ path: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let i = v.integer, range.contains(i) else {
            throw fail(v, path, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return i
    }

    /// The longest any configured wait may be: a week. Beyond it a value is a typo, and a huge one would
    /// overflow the integer clocks and C limits it ends up in.
    static let maxSeconds = 604_800.0

    /// A number of seconds (timeouts, idle times): integer or float, above 0 and at most a week.
    func seconds(_ v: TOMLValue, _ path: String) throws(ConfigError) -> Double {
        guard let d = v.number, d > 0, d <= Self.maxSeconds else {
            throw fail(v, path, expected: "a number of seconds above 0 and at most 604800 (a week)")
        }
        return d
    }

    /// The highest price per million tokens accepted, in USD: far above any real model's.
    static let maxPrice = 100_000.0

    /// A price in USD per million tokens: 0 or more, at most `maxPrice`.
    func price(_ v: TOMLValue, _ path: String) throws(ConfigError) -> Double {
        guard let d = v.number, d >= 0, d <= Self.maxPrice else {
            throw fail(v, path, expected: "a price in USD per million tokens from 0 to 100000")
        }
        return d
    }

    func strings(_ v: TOMLValue, _ path: String) throws(ConfigError) -> [String] {
        guard let items = v.array else { throw fail(v, path, expected: "an array of strings") }
        var out: [String] = []
        for item in items {
            guard let s = item.string else { throw fail(item, path, expected: "an array of strings") }
            out.append(s)
        }
        return out
    }

    /// One of a fixed set of words: `expected "open" or "local-only"`.
    func choice(_ v: TOMLValue, _ path: String, _ options: [String]) throws(ConfigError) -> String {
        let quoted = options.map { "\"\($0)\"" }
        let expected =
            quoted.count <= 2
            ? quoted.joined(separator: " or ")
            : "one of " + quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
        guard let s = v.string, options.contains(s) else {
            var error = fail(v, path, expected: expected)
            if let s = v.string, let guess = DidYouMean.suggestion(for: s, among: options) {
                error.hint = "got \"\(s)\"; did you mean \"\(guess)\"?"
            }
            throw error
        }
        return s
    }

    /// `http://` or `https://` followed by a host; a trailing slash is dropped.
    func url(_ v: TOMLValue, _ path: String) throws(ConfigError) -> String {
        let s = try string(v, path)
        guard let url = Self.normalizedURL(s) else {
            throw fail(v, path, expected: "an http:// or https:// URL")
        }
        return url
    }

    static func normalizedURL(_ s: String) -> String? {
        var s = s
        guard s.hasPrefix("http://") || s.hasPrefix("https://"), !s.contains(where: { $0 == " " }) else { return nil }
        while s.hasSuffix("/") { s.removeLast() }
        let afterScheme = s.hasPrefix("https://") ? s.dropFirst(8) : s.dropFirst(7)
        guard let host = afterScheme.split(separator: "/").first, !host.isEmpty, !host.hasPrefix(":") else {
            return nil
        }
        return s
    }
}
