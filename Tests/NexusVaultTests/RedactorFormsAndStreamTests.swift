import NexusCore
import NexusVault
import Testing

/// Issue 12 item 11: the spellings a secret takes in JSON (`\uXXXX`) and hex in any mix of cases, and
/// text that arrives in pieces (a model's stream), where a secret split across two pieces used to pass.
@Suite struct RedactorFormsAndStreamSpecs {
    static let secret = "cAnary-7Qx!vault+S3cret/9f2e"
    let redactor = Redactor(secrets: [.init(label: "leaky/token", value: Array(secret.utf8))])
    let label = "«redacted:leaky/token»"

    static func unicodeEscaped(_ s: String, upper: Bool, keepAlphanumerics: Bool = false) -> String {
        let digits = Array(upper ? "0123456789ABCDEF" : "0123456789abcdef")
        var out = ""
        for u in s.utf16 {
            if keepAlphanumerics, u < 0x80 {
                let c = Character(Unicode.Scalar(UInt8(u)))
                if c.isLetter || c.isNumber {
                    out.append(c)
                    continue
                }
            }
            out += "\\u"
            for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int(u >> UInt16(shift) & 0xF)]) }
        }
        return out
    }

    static func hex(_ s: String, mixed: Bool) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for (i, b) in s.utf8.enumerated() {
            for (j, d) in [digits[Int(b >> 4)], digits[Int(b & 15)]].enumerated() {
                out += mixed && (i + j) % 2 == 0 ? d.uppercased() : String(d)
            }
        }
        return out
    }

    @Test func everyCharacterAsAUnicodeEscapeIsRedactedInEitherCase() {
        for upper in [false, true] {
            let escaped = Self.unicodeEscaped(Self.secret, upper: upper)
            #expect(redactor.redact(#"{"token":"\#(escaped)"}"#) == #"{"token":"\#(label)"}"#, "\(escaped)")
        }
    }

    @Test func punctuationOnlyUnicodeEscapesAreRedacted() {
        let escaped = Self.unicodeEscaped(Self.secret, upper: false, keepAlphanumerics: true)
        #expect(escaped.contains("\\u0021"), "the ! is escaped, letters are not: \(escaped)")
        #expect(redactor.redact("x=\(escaped)") == "x=\(label)")
    }

    /// Python's `json.dumps` writes non-ASCII as `\u00e9`; a model or tool may echo it either way.
    @Test func nonASCIIEscapedTheWayPythonWritesItIsRedacted() {
        let r = Redactor(secrets: [.init(label: "m/pw", value: Array("pässwörd-ünïcode".utf8))])
        #expect(r.redact(#"{"pw": "p\u00e4ssw\u00f6rd-\u00fcn\u00efcode"}"#) == #"{"pw": "«redacted:m/pw»"}"#)
        #expect(r.redact(#"{"pw": "p\u00E4ssw\u00F6rd-\u00FCn\u00EFcode"}"#) == #"{"pw": "«redacted:m/pw»"}"#)
    }

    @Test func hexInMixedCaseIsRedacted() {
        let mixed = Self.hex(Self.secret, mixed: true)
        #expect(mixed != mixed.lowercased() && mixed != mixed.uppercased())
        #expect(redactor.redact("dump: \(mixed) end") == "dump: \(label) end")
    }

    @Test func percentEscapesInMixedCaseAreRedacted() {
        let r = Redactor(secrets: [.init(label: "m/pw", value: Array("p@ss/w:rd".utf8))])
        #expect(r.redact("q=p%40ss%2fw%3Ard&x") == "q=«redacted:m/pw»&x")
    }

    @Test func aSecretMadeOfHexDigitsIsRedactedInEitherCase() {
        let r = Redactor(secrets: [.init(label: "m/key", value: Array("deadbeef0123cafe".utf8))])
        #expect(r.redact("key DEADBEEF0123CAFE") == "key «redacted:m/key»")
    }

    @Test func foldingDoesNotRedactOrdinaryText() {
        let text = "The hex 4a6b and \\u0041 escapes, %2F too — ünïcödé ✓ 漢字 CAPITALS"
        #expect(redactor.redact(text) == text)
    }

    // MARK: carry-over window

    /// Feeds `pieces` through a stream and returns what it let out after each, and at the end.
    func stream(_ pieces: [String], _ scrubber: any SecretScrubber) -> (each: [String], total: String) {
        let s = ScrubbedStream(scrubber)
        var each: [String] = []
        for p in pieces { each.append(s.push(p)) }
        each.append(s.finish())
        return (each, each.joined())
    }

    @Test func aSecretSplitAcrossPiecesIsRedacted() {
        let s = Self.secret
        for cut in 1..<s.count {
            let pieces = ["Here: " + s.prefix(cut), String(s.dropFirst(cut)) + " done."]
            let out = stream(pieces, redactor)
            #expect(out.total == "Here: \(label) done.", "cut at \(cut)")
            for piece in out.each { #expect(!piece.contains(s.prefix(4)) || piece.contains(label), "\(piece)") }
        }
    }

    @Test func aSecretStreamedOneCharacterAtATimeIsRedacted() {
        let text = "start \(Self.secret) middle \(Self.hex(Self.secret, mixed: false)) end ✓"
        let out = stream(text.map { String($0) }, redactor)
        #expect(out.total == "start \(label) middle \(label) end ✓")
    }

    /// Only the last (longest form - 1) bytes wait; everything before them is let out at once.
    @Test func onlyTheWindowIsHeldBack() {
        let window = redactor.longestForm - 1
        let long = String(repeating: "a", count: window + 50)
        let out = stream([long], redactor)
        #expect(out.each[0].utf8.count == 50)
        #expect(out.each[1].utf8.count == window, "the rest comes out at the end")
        #expect(out.total == long)
    }

    @Test func withNoSecretsNothingIsHeldBack() {
        let out = stream(["abc", "def"], Redactor.empty)
        #expect(out.each == ["abc", "def", ""])
        let none = stream(["abc"], NoSecrets())
        #expect(none.each == ["abc", ""])
    }

    @Test func multiByteCharactersAreNeverSplitByTheWindow() {
        let text = String(repeating: "漢字✓é", count: 40) + Self.secret + "ü"
        for size in [1, 2, 3, 7] {
            var pieces: [String] = []
            var rest = Substring(text)
            while !rest.isEmpty {
                pieces.append(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            let out = stream(pieces, redactor)
            #expect(out.total == String(repeating: "漢字✓é", count: 40) + label + "ü", "piece size \(size)")
            #expect(out.each.allSatisfy { !$0.contains("\u{FFFD}") })
        }
    }
}
