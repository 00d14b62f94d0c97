import NexusOrchestrator

/// The input line: editing (Emacs keys), history, and Tab completion of slash commands.
///
/// Pure state so every edit is a unit-testable function; the completion source is the session's
/// own slash-command registry, passed in by the caller.
public struct InputLine: Sendable, Equatable {
    public private(set) var chars: [Character] = []
    public private(set) var cursor = 0
    public private(set) var history: [String] = []
    var historyIndex: Int?
    var draft: [Character] = []
    /// Candidates shown after an ambiguous Tab, and which one a repeated Tab selected.
    public private(set) var candidates: [Completion] = []
    public private(set) var candidateIndex: Int?
    public var maxHistory = 500

    public init() {}

    public var text: String { String(chars) }
    public var isEmpty: Bool { chars.isEmpty }

    public mutating func insert(_ c: Character) {
        candidates = []
        candidateIndex = nil
        // Scalars that join the previous character (ZWJ sequences, skin tones) stay one character.
        if cursor > 0 {
            let joined = String(chars[cursor - 1]) + String(c)
            if joined.count == 1, let j = joined.first {
                chars[cursor - 1] = j
                return
            }
        }
        chars.insert(c, at: cursor)
        cursor += 1
    }

    /// Inserts pasted text as one line: each line break (LF, CRLF, or the CR terminals send for a paste)
    /// becomes one space, so words on either side stay apart.
    public mutating func insert(_ s: String) {
        for c in WordWrapper.sanitize(Self.breaksAsNewlines(s)) { insert(c == "\n" ? " " : c) }
    }

    static func breaksAsNewlines(_ s: String) -> String {
        guard s.utf8.contains(0x0D) else { return s }
        var out = String.UnicodeScalarView()
        var lastWasCR = false
        for u in s.unicodeScalars {
            if u == "\n" && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = u == "\r"
            out.append(lastWasCR ? "\n" : u)
        }
        return String(out)
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        chars.remove(at: cursor - 1)
        cursor -= 1
        candidates = []
    }

    public mutating func deleteForward() {
        guard cursor < chars.count else { return }
        chars.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(chars.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = chars.count }

    public mutating func wordLeft() {
        while cursor > 0, chars[cursor - 1] == " " { cursor -= 1 }
        while cursor > 0, chars[cursor - 1] != " " { cursor -= 1 }
    }

    public mutating func wordRight() {
        while cursor < chars.count, chars[cursor] == " " { cursor += 1 }
        while cursor < chars.count, chars[cursor] != " " { cursor += 1 }
    }

    public mutating func deleteWordBack() {
        let end = cursor
        wordLeft()
        chars.removeSubrange(cursor..<end)
    }

    public mutating func killToEnd() { chars.removeSubrange(cursor...) }

    public mutating func killToStart() {
        chars.removeSubrange(..<cursor)
        cursor = 0
    }

    public mutating func clear() {
        chars = []
        cursor = 0
        candidates = []
        candidateIndex = nil
        historyIndex = nil
    }

    /// Takes the line for submission, recording it in history (no consecutive duplicates).
    public mutating func take() -> String {
        let s = text
        if !s.trimmingSpaces.isEmpty, history.last != s {
            history.append(s)
            if history.count > maxHistory { history.removeFirst(history.count - maxHistory) }
        }
        clear()
        return s
    }

    public mutating func historyUp() {
        guard !history.isEmpty else { return }
        if historyIndex == nil {
            draft = chars
            historyIndex = history.count - 1
        } else if let i = historyIndex, i > 0 {
            historyIndex = i - 1
        }
        if let i = historyIndex { setText(Array(history[i])) }
    }

    public mutating func historyDown() {
        guard let i = historyIndex else { return }
        if i + 1 < history.count {
            historyIndex = i + 1
            setText(Array(history[i + 1]))
        } else {
            historyIndex = nil
            setText(draft)
        }
    }

    mutating func setText(_ c: [Character]) {
        chars = c
        cursor = c.count
    }

    /// Tab: completes a slash command from `source` (the session's registry). One match completes
    /// with a trailing space; several complete to their common prefix, then cycle on repeated Tabs.
    public mutating func complete(using source: (String) -> [Completion]) {
        guard chars.first == "/", cursor == chars.count, !chars.contains(" ") || candidateIndex != nil else { return }
        if let i = candidateIndex, !candidates.isEmpty {
            let next = (i + 1) % candidates.count
            candidateIndex = next
            setText(Array(candidates[next].text))
            return
        }
        let found = source(text)
        guard !found.isEmpty else { return }
        if found.count == 1 {
            setText(Array(found[0].text + " "))
            candidates = []
            return
        }
        let common = Self.commonPrefix(found.map(\.text))
        candidates = found
        if common.count > chars.count {
            setText(Array(common))
        } else {
            candidateIndex = 0
            setText(Array(found[0].text))
        }
    }

    public mutating func dismissCandidates() {
        candidates = []
        candidateIndex = nil
    }

    static func commonPrefix(_ xs: [String]) -> String {
        guard var p = xs.first.map(Array.init) else { return "" }
        for x in xs.dropFirst() {
            let a = Array(x)
            var n = 0
            while n < p.count, n < a.count, p[n] == a[n] { n += 1 }
            p = Array(p[..<n])
        }
        return String(p)
    }

    /// The part of the line to show in `width` columns and the cursor's column in it: the view
    /// scrolls horizontally to keep the cursor visible.
    public func viewport(width: Int) -> (text: ArraySlice<Character>, cursorColumn: Int) {
        let w = max(1, width)
        var start = 0
        var col = DisplayWidth.of(chars[..<cursor])
        while col >= w, start < cursor {
            col -= DisplayWidth.of(chars[start])
            start += 1
        }
        var end = start
        var used = 0
        while end < chars.count {
            let cw = DisplayWidth.of(chars[end])
            if used + cw > w { break }
            used += cw
            end += 1
        }
        return (chars[start..<end], col)
    }
}
