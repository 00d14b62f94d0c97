/// One entry of the conversation (a message, a tool call, an approval, command output), kept as
/// logical lines with their wrapped rows cached per width.
///
/// Streaming appends to the last line only, and only that line is re-wrapped — from its last row —
/// so a 5,000-token answer costs the same per token as a short one.
public struct ChatBlock: Sendable {
    public enum Kind: Sendable, Equatable { case user, assistant, command, notice, error, tool, approval }

    /// A logical line: the characters between two newlines.
    public struct Line: Sendable {
        public var chars: [Character] = []
        /// Inside a ``` fence: hard-wrapped and set apart.
        public var isCode = false
        var rows: [Range<Int>] = []
        var wrapWidth = -1
        var stale = false
        /// Columns the rows after the first are drawn in (`WordWrapper.hangingIndent`), for the wrap width.
        var hang = 0

        /// A ``` fence line (opening or closing a code block).
        public var isFence: Bool {
            var i = 0
            while i < chars.count, chars[i] == " " { i += 1 }
            return chars.count - i >= 3 && chars[i] == "`" && chars[i + 1] == "`" && chars[i + 2] == "`"
        }

        /// The language named after an opening fence, if any.
        var fenceLabel: String {
            String(chars.drop(while: { $0 == " " || $0 == "`" })).trimmingSpaces
        }
    }

    public var kind: Kind
    public var turnID: Int
    public private(set) var lines: [Line] = [Line()]
    /// Set for approval blocks, to find them when the answer arrives.
    public var approvalID: String?
    /// Open for more streamed text.
    public var isStreaming = false
    var inCode = false
    var rowCount = 0
    var rowCountWidth = -1

    public init(kind: Kind, turnID: Int = 0, text: String = "") {
        self.kind = kind
        self.turnID = turnID
        if !text.isEmpty { append(text) }
    }

    /// The block's text as it was received (fences included).
    public var text: String {
        lines.map { String($0.chars) }.joined(separator: "\n")
    }

    /// Appends streamed text; newlines start new lines and fences toggle code mode.
    public mutating func append(_ text: String) {
        let chars = WordWrapper.sanitize(text)
        guard !chars.isEmpty else { return }
        var last = lines.count - 1
        for c in chars {
            if c == "\n" {
                lines[last].stale = true
                if lines[last].isFence { inCode.toggle() }
                var next = Line()
                next.isCode = inCode
                lines.append(next)
                last += 1
            } else {
                lines[last].chars.append(c)
            }
        }
        lines[last].stale = true
        rowCountWidth = -1
    }

    /// Wraps every line that needs it for `width` columns and returns the block's row count.
    public mutating func layout(width: Int) -> Int {
        if rowCountWidth == width { return rowCount }
        var total = 0
        for i in lines.indices {
            let codeWidth = max(1, width - 2)
            let w = lines[i].isCode ? codeWidth : width
            if lines[i].isFence {
                lines[i].rows = [0..<lines[i].chars.count]
                lines[i].wrapWidth = w
                lines[i].stale = false
            } else if lines[i].wrapWidth != w || lines[i].rows.isEmpty {
                lines[i].hang = lines[i].isCode ? 0 : WordWrapper.hangingIndent(lines[i].chars, width: w)
                lines[i].rows = WordWrapper.wrap(lines[i].chars, width: w, hard: lines[i].isCode, hang: lines[i].hang)
                lines[i].wrapWidth = w
                lines[i].stale = false
            } else if lines[i].stale {
                // A streamed line's indent is set by its start; rows from its last onward are wrapped again.
                let hang = lines[i].isCode ? 0 : WordWrapper.hangingIndent(lines[i].chars, width: w)
                if hang != lines[i].hang {
                    lines[i].hang = hang
                    lines[i].rows = WordWrapper.wrap(lines[i].chars, width: w, hard: lines[i].isCode, hang: hang)
                } else {
                    let from = lines[i].rows.last?.lowerBound ?? 0
                    lines[i].rows.removeLast()
                    lines[i].rows += WordWrapper.wrap(
                        lines[i].chars, from: from, width: w, hard: lines[i].isCode, hang: hang)
                }
                lines[i].stale = false
            }
            total += lines[i].rows.count
        }
        rowCount = total
        rowCountWidth = width
        return total
    }
}
