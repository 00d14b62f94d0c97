/// One typed slash command split into its name and arguments, honouring quotes.
///
/// Line mode, the TUI and piped input all hand lines here, so `/model code_generation "local:qwen 3b"`
/// means the same thing everywhere. Quoting follows the shell's simple rules: `"..."` with `\"` and `\\`
/// escapes, `'...'` taken as written, a backslash outside quotes escapes the next character, and quoted
/// parts join the text around them (`a"b c"` is one argument `ab c`).
public struct SlashCommandLine: Sendable, Equatable {
    /// The command name as typed, without the slash (`model`); empty for a lone `/`.
    public var name: String
    public var arguments: [String]
    /// Everything after the name, trimmed, unsplit (for commands that take free text).
    public var argumentText: String

    public init(name: String, arguments: [String], argumentText: String) {
        self.name = name
        self.arguments = arguments
        self.argumentText = argumentText
    }

    /// Whether `line` is meant as a slash command rather than chat text.
    public static func isCommand(_ line: String) -> Bool { commandStart(line) != nil }

    /// The parsed command, or nil when the line is chat text: it does not start with `/`, or its first
    /// word contains another `/` (a path such as `/usr/bin/env`, or `//` to send a literal slash).
    public static func parse(_ line: String) throws(SlashCommandError) -> SlashCommandLine? {
        guard let start = commandStart(line) else { return nil }
        let body = line[start...]
        let nameEnd = body.firstIndex(where: \.isWhitespace) ?? body.endIndex
        let name = String(body[body.index(after: body.startIndex)..<nameEnd])
        let rest = body[nameEnd...]
        let arguments = try split(rest, line: line)
        let text = String(rest.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        return SlashCommandLine(name: name, arguments: arguments, argumentText: text)
    }

    static func commandStart(_ line: String) -> String.Index? {
        guard let start = line.firstIndex(where: { !$0.isWhitespace }), line[start] == "/" else { return nil }
        let afterSlash = line.index(after: start)
        let nameEnd = line[afterSlash...].firstIndex(where: \.isWhitespace) ?? line.endIndex
        if line[afterSlash..<nameEnd].contains("/") { return nil }
        return start
    }

    /// Splits arguments on unquoted whitespace.
    static func split(_ text: Substring, line: String) throws(SlashCommandError) -> [String] {
        var arguments: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            i = text.index(after: i)
            switch quote {
            case "\"":
                if c == "\"" {
                    quote = nil
                } else if c == "\\", i < text.endIndex, text[i] == "\"" || text[i] == "\\" {
                    current.append(text[i])
                    i = text.index(after: i)
                } else {
                    current.append(c)
                }
            case "'":
                if c == "'" { quote = nil } else { current.append(c) }
            default:
                if c.isWhitespace {
                    if inWord { arguments.append(current) }
                    current = ""
                    inWord = false
                } else if c == "\"" || c == "'" {
                    quote = c
                    inWord = true
                } else if c == "\\", i < text.endIndex {
                    current.append(text[i])
                    i = text.index(after: i)
                    inWord = true
                } else {
                    current.append(c)
                    inWord = true
                }
            }
        }
        if let quote { throw .unterminatedQuote(quote, line: line.trimmingSpaces) }
        if inWord { arguments.append(current) }
        return arguments
    }
}
