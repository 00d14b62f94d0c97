import NexusCore
import Testing

/// One letter and `pairs` × two combining marks of different classes, written out of canonical order (class 230 before
/// 220): Swift's `String` sorts them before every `==`, `<`, hash or `Character` comparison, in quadratic time.
private func lettersMarks(pairs: Int) -> String { "a" + String(repeating: "\u{0301}\u{0316}", count: pairs) }

/// Specs of text read from outside whose combining marks are out of order: it costs time linear in its length
/// whatever nexus does with it, and keeps its meaning.
@Suite struct MarkOrderSpecs {
    @Test(arguments: [false, true])
    func aJSONStringOfOneLetterAndManyMarksComparesSortsAndHashesInLinearTime(escaped: Bool) throws {
        let word = lettersMarks(pairs: 50_000)
        let written = escaped ? JSONValue.string(word).serialized.unicodeEscaped : "\"" + word + "\""
        let start = MonotonicClock.nanoseconds()
        let method = try #require(try JSONValue(parsing: "{\"method\": " + written + "}")["method"]?.stringValue)
        // What nexus does with a module's or a model's words: compare them with the ones it knows, keep them in a
        // set, split them, sort them. Each took 7 s before (`swiftc -O`), whatever the other text was. (Booleans
        // only: a failed expectation prints its operands.)
        let isPing = method == "ping"
        let setCount = Set([method, "ping"]).count
        let pieces = method.split(separator: "/").count
        let bFirst = [method, "b"].sorted().first?.isExactly("b") == true  // "á" sorts after "b"
        let ms = MonotonicClock.millisSince(start)
        #expect(!isPing && setCount == 2 && pieces == 1 && bFirst)
        #expect(ms < 3_000, "took \(ms) ms")
    }

    @Test func aLongRunOfMarksIsReadInCanonicalOrderAndAShortOneAsWritten() throws {
        let long = lettersMarks(pairs: 16)  // 32 marks
        let short = lettersMarks(pairs: 15)  // 30 marks
        let parsed = try JSONValue(parsing: "[\"" + long + "\", \"" + short + "\"]")
        let readLong = try #require(parsed.arrayValue?.first?.stringValue)
        let inOrder: [Unicode.Scalar] =
            ["a"] + Array(repeating: "\u{0316}", count: 16) + Array(repeating: "\u{0301}", count: 16)
        #expect(readLong.unicodeScalars.elementsEqual(inOrder))
        let sameText = readLong == long
        #expect(sameText, "the same text for String: only the bytes changed")
        #expect(parsed.arrayValue?.last?.stringValue?.isExactly(short) == true)
        // Everyday text keeps its bytes: Vietnamese and Devanagari, decomposed.
        let everyday = "Vie\u{0323}\u{0302}t Nam, \u{0915}\u{094D}\u{0937}"
        #expect(MarkOrder.ordered(everyday).isExactly(everyday))
    }

    @Test func theClassOfEveryScalarIsUnicodesOwn() {
        // The shortcut ranges without a lookup hold no mark, in the Unicode version this toolchain carries.
        var wrong: [UInt32] = []
        for v in UInt32(0)..<0x11_0000 {
            guard let s = Unicode.Scalar(v) else { continue }
            if MarkOrder.markClass(s) != s.properties.canonicalCombiningClass.rawValue { wrong.append(v) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    }

    @Test func aConfigKeyOfOneLetterAndManyMarksIsReadInLinearTime() throws {
        let key = lettersMarks(pairs: 50_000)
        let start = MonotonicClock.nanoseconds()
        let table = try TOMLParser.parse("\"" + key + "\" = 1\nprivacy = \"open\"\n")
        // Every lookup of a known key compared it with this one: 7 s each before.
        #expect(table.entry("privacy") != nil)
        #expect(table.entry("providers") == nil)
        let decoded = try ConfigDecoder.decode(table, source: "nexus.toml", environment: [:])
        #expect(!decoded.warnings.isEmpty, "the key is unknown")
        let ms = MonotonicClock.millisSince(start)
        #expect(ms < 3_000, "took \(ms) ms")
    }
}

extension String {
    /// JSON text with every non-ASCII scalar written as a `\u` escape, as Python's `json.dumps` writes it.
    fileprivate var unicodeEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }
}
