import NexusCore

/// Reads the JSON a model meant to write, when what it wrote is slightly broken.
///
/// Small models wrap JSON in code fences, surround it with prose, leave trailing commas, use single
/// quotes or Python literals, or stop before the closing braces. Tool-call arguments and the ReAct
/// protocol both go through this before giving up with a parse error the model can be shown.
public enum JSONRepair {
    /// The parsed value, repaired if needed, or the strict parser's error for the original text.
    public static func parse(_ text: String) -> Result<JSONValue, JSONParseError> {
        // The repairs look for braces and fences character by character: a model's text (joined from a stream's
        // pieces, so not read in order as one JSON string) gets its long runs of marks in order first (`MarkOrder`).
        let trimmed = MarkOrder.ordered(text).trimmingSpaces
        let original: JSONParseError
        do { return .success(try JSONValue(parsing: trimmed)) } catch { original = error }
        for candidate in candidates(trimmed) {
            // Each repair is tried in turn; the last failure is returned below.
            if let v = try? JSONValue(parsing: candidate) { return .success(v) }
            let fixed = normalize(candidate)
            // Each repair is tried in turn, as above.
            if let v = try? JSONValue(parsing: fixed) { return .success(v) }
            let closed = closeOpenStructures(fixed)
            // Each repair is tried in turn, as above.
            if let v = try? JSONValue(parsing: closed) { return .success(v) }
        }
        return .failure(original)
    }

    /// Texts worth trying, most specific first: fenced block content, then the first balanced object or
    /// array, then the text from the first brace to the end (possibly truncated).
    static func candidates(_ text: String) -> [String] {
        var out: [String] = []
        var body = text
        if let fence = text.firstRange(of: "```") {
            var after = text[fence.upperBound...]
            if let nl = after.firstIndex(of: "\n") {
                let tag = after[..<nl].trimmingCharacters()
                if tag.allSatisfy({ $0.isLetter }) { after = after[after.index(after: nl)...] }
            }
            let inner = after.firstRange(of: "```").map { after[..<$0.lowerBound] } ?? after
            body = String(inner).trimmingSpaces
            out.append(body)
        }
        if let balanced = firstBalanced(body) { out.append(balanced) }
        if let start = body.firstIndex(where: { $0 == "{" || $0 == "[" }) { out.append(String(body[start...])) }
        out.append(body)
        return out
    }

    /// The first `{...}` or `[...]` whose brackets balance, skipping brackets inside strings.
    static func firstBalanced(_ text: String) -> String? {
        let chars = Array(text.unicodeScalars)
        guard let start = chars.firstIndex(where: { $0 == "{" || $0 == "[" }) else { return nil }
        var depth = 0
        var quote: Unicode.Scalar?
        var escaped = false
        for i in start..<chars.count {
            let c = chars[i]
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "{", "[": depth += 1
            case "}", "]":
                depth -= 1
                if depth == 0 {
                    var s = String.UnicodeScalarView()
                    s.append(contentsOf: chars[start...i])
                    return String(s)
                }
            default: break
            }
        }
        return nil
    }

    /// Single quotes → double quotes, trailing commas dropped, Python literals → JSON, // comments dropped.
    static func normalize(_ text: String) -> String {
        let chars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\"" || c == "'" {
                // Copy a string, re-quoting single-quoted ones.
                let q = c
                out.append("\"")
                i += 1
                while i < chars.count, chars[i] != q {
                    if chars[i] == "\\", i + 1 < chars.count {
                        if q == "'" && chars[i + 1] == "'" {
                            out.append("'")
                        } else {
                            out.append(chars[i])
                            out.append(chars[i + 1])
                        }
                        i += 2
                        continue
                    }
                    if q == "'" && chars[i] == "\"" {
                        out.append("\\")
                        out.append("\"")
                    } else if chars[i] == "\n" {
                        append("\\n".unicodeScalars, to: &out)
                    } else {
                        out.append(chars[i])
                    }
                    i += 1
                }
                if i < chars.count { out.append("\"") }
                i += 1
                continue
            }
            if c == ",", let next = chars[(i + 1)...].first(where: { !isSpace($0) }), next == "}" || next == "]" {
                i += 1
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c.properties.isAlphabetic, i == 0 || !chars[i - 1].properties.isAlphabetic {
                var j = i
                while j < chars.count, chars[j].properties.isAlphabetic { j += 1 }
                var word = String.UnicodeScalarView()
                word.append(contentsOf: chars[i..<j])
                switch String(word) {
                case "True": append("true".unicodeScalars, to: &out)
                case "False": append("false".unicodeScalars, to: &out)
                case "None": append("null".unicodeScalars, to: &out)
                default: append(word, to: &out)
                }
                i = j
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    /// Appends the quotes and brackets a truncated document is missing.
    static func closeOpenStructures(_ text: String) -> String {
        var stack: [Unicode.Scalar] = []
        var inString = false
        var escaped = false
        for c in text.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
                continue
            }
            switch c {
            case "\"": inString = true
            case "{": stack.append("}")
            case "[": stack.append("]")
            case "}", "]": if !stack.isEmpty { stack.removeLast() }
            default: break
            }
        }
        var out = text
        if inString { out += "\"" }
        while out.last == "," || out.last == " " { out.removeLast() }
        for closer in stack.reversed() { out.unicodeScalars.append(closer) }
        return out
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" }

    /// One scalar at a time: `String.UnicodeScalarView.append(contentsOf:)` copied all of `out` on each call, so
    /// a reply of 400,000 words took 21 s to repair (debug build; found by `fuzz/run.sh marks`).
    private static func append(_ scalars: some Sequence<Unicode.Scalar>, to out: inout String.UnicodeScalarView) {
        for s in scalars { out.append(s) }
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces }
}

/// Decoding of the argument text a model produced for a tool call.
public enum ToolArguments {
    /// The arguments as a JSON object. Empty text means `{}`. Text that stays unreadable after repair
    /// is returned as `.string(text)`, so the caller can answer the model with `invalidMessage`.
    public static func decode(_ raw: String) -> JSONValue {
        if raw.trimmingSpaces.isEmpty { return .object(JSONObject()) }
        switch JSONRepair.parse(raw) {
        case .success(let v): return v
        case .failure: return .string(raw)
        }
    }

    /// A message for the model when a call's arguments are not a JSON object, else nil.
    public static func invalidMessage(for call: ToolCall) -> String? {
        switch call.arguments {
        case .object: return nil
        case .string(let raw):
            let why: String
            switch JSONRepair.parse(raw) {
            case .failure(let e): why = e.description
            case .success(let v): why = "expected an object, got \(v.kindName)"
            }
            return "the arguments for tool '\(call.name)' are not valid JSON (\(why)): \(String(raw.prefix(200)))"
        default:
            return "the arguments for tool '\(call.name)' must be a JSON object, got \(call.arguments.kindName)"
        }
    }
}
