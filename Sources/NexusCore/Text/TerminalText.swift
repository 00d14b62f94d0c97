/// Text from outside NEXUS (a model's answer, a server's error, a module's output) made safe to print
/// on a terminal.
///
/// Why: a terminal obeys control characters. An answer containing `ESC ] 0 ; … BEL` retitles the
/// window, `ESC [ 2 J` clears the screen, a lone `\r` overwrites what was shown; worse sequences can
/// rewrite the clipboard or fake a prompt. The TUI drops them as it draws cells; line mode prints
/// text as it arrives, so it shows each one instead, in caret notation (`ESC` → `^[`, `BEL` → `^G`,
/// `DEL` → `^?`), and C1 controls as `<U+009B>`. Showing beats dropping there: what the model sent
/// stays visible, and no sequence is left half-obeyed when it arrives split over two tokens.
///
/// Kept: `\n` and `\t`. A `\r` right before `\n` is dropped (a CRLF line end); any other is shown.
/// Pure and stateless, so it can run on every streamed token.
public enum TerminalText {
    /// `s` with every C0 control but `\n` and `\t`, DEL and every C1 control made visible.
    public static func escapingControls(_ s: String) -> String {
        guard needsEscaping(s) else { return s }
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            let v = c.value
            switch v {
            case 0x0A, 0x09:
                out.append(c)
            case 0x0D where i + 1 < scalars.count && scalars[i + 1].value == 0x0A:
                continue
            case 0..<0x20:
                out.append(contentsOf: "^".unicodeScalars)
                out.append(Unicode.Scalar(UInt8(v + 0x40)))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0:
                out.append(contentsOf: "<U+00\(String(v, radix: 16, uppercase: true))>".unicodeScalars)
            default:
                out.append(c)
            }
        }
        return String(out)
    }

    /// Whether `s` holds anything `escapingControls` changes: a byte scan, so plain text costs no copy.
    public static func needsEscaping(_ s: String) -> Bool {
        var afterC2 = false
        for b in s.utf8 {
            if b < 0x20 && b != 0x0A && b != 0x09 { return true }
            if b == 0x7F { return true }
            // C1 controls are U+0080–U+009F, encoded C2 80 … C2 9F.
            if afterC2 && b < 0xA0 { return true }
            afterC2 = b == 0xC2
        }
        return false
    }
}
