import NexusCore
import Testing

/// Every malformed document is refused with the line at fault and a message naming the problem.
@Suite struct TOMLParserErrorTests {
    func failure(_ text: String) -> TOMLError? {
        failure(Array(text.utf8))
    }

    func failure(_ bytes: [UInt8]) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Deep nesting was a stack overflow (exit 139) before the depth limit; now it is a line-numbered error.
    @Test(arguments: [
        "\na = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        "\na = " + String(repeating: "{b=", count: 50_000) + "1" + String(repeating: "}", count: 50_000),
        "\n" + (0..<200_000).map { "k\($0)" }.joined(separator: ".") + " = 1",
        "\n[" + (0..<200_000).map { "k\($0)" }.joined(separator: ".") + "]",
        "\na = " + String(repeating: "{b.c.d.e.f.g.h.i.j.k=", count: 20) + "1" + String(repeating: "}", count: 20),
    ])
    func nestingBeyondTheLimitIsAnErrorNotACrash(text: String) throws {
        let e = try #require(failure(text))
        #expect(e.line == 2)
        #expect(e.message.contains("\(TOMLParser.maxDepth)"))
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let depth = TOMLParser.maxDepth
        let doc = try TOMLParser.parse(
            "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(doc["a"] != nil)
    }

    @Test func duplicateKeyNamesBothLines() throws {
        let e = try #require(failure("a = 1\nb = 2\na = 3\n"))
        #expect(e.line == 3)
        #expect(e.message == "duplicate key a (first defined on line 1)")
        #expect(e.exitCode == .usage)
    }

    @Test func duplicateKeyThroughDottedKeys() throws {
        let e = try #require(failure("[t]\nx.y = 1\nx.y = 2\n"))
        #expect(e.line == 3)
        #expect(e.message.hasPrefix("duplicate key x.y"))
    }

    @Test func redefinedTableIsAnError() throws {
        let e = try #require(failure("[providers.local]\nkind = \"openai\"\n\n[providers.local]\n"))
        #expect(e.line == 4)
        #expect(e.message == "table [providers.local] is defined twice (first on line 1)")
    }

    @Test func headerCannotReopenATableMadeByDottedKeys() throws {
        let e = try #require(failure("[fruit]\napple.color = \"red\"\n[fruit.apple]\n"))
        #expect(e.line == 3)
        #expect(e.message.contains("dotted keys"))
    }

    @Test func dottedKeyCannotExtendAHeaderTable() throws {
        let e = try #require(failure("[a.b]\nx = 1\n[a]\nb.y = 2\n"))
        #expect(e.line == 4)
    }

    @Test func tableAndArrayOfTablesDoNotMix() throws {
        #expect(failure("[a]\n[[a]]\n")?.line == 2)
        #expect(failure("[[a]]\n[a]\n")?.line == 2)
        #expect(failure("a = [1]\n[[a]]\n")?.line == 2)
    }

    @Test func inlineTablesAreClosed() throws {
        #expect(failure("a = { b = 1 }\n[a]\n")?.line == 2)
        #expect(failure("a = { b = 1 }\na.c = 2\n")?.line == 2)
        #expect(failure("a = { b = 1, }\n")?.message == "trailing comma in inline table")
        #expect(failure("a = { b = 1,\n c = 2 }\n")?.line == 1)
    }

    @Test func valueAsTableIsAnError() throws {
        let e = try #require(failure("a = 1\n[a.b]\n"))
        #expect(e.line == 2)
        #expect(e.message.contains("already a value (line 1)"))
    }

    @Test func nonUTF8BytesAreReportedWithTheirLine() throws {
        let bytes = Array("a = 1\nb = \"caf".utf8) + [0xE9] + Array("\"\n".utf8)
        let e = try #require(failure(bytes))
        #expect(e.line == 2)
        #expect(e.message.contains("invalid UTF-8 (byte 0xE9)"))
        #expect(failure([0x61, 0x3D, 0x22, 0xC0, 0xAF, 0x22])?.message.contains("UTF-8") == true)  // overlong
        #expect(failure([0x61, 0x3D, 0x22, 0xED, 0xA0, 0x80, 0x22])?.message.contains("UTF-8") == true)  // surrogate
    }

    @Test func unquotedStringValueSaysStringsNeedQuotes() throws {
        let e = try #require(failure("\n\nprivacy = local-only\n"))
        #expect(e.line == 3)
        #expect(e.message.contains("strings need quotes"))
    }

    @Test func malformedNumbersAreRefused() throws {
        for bad in ["01", "1__0", "_1", "1_", "0x", "+0x10", "1.", ".5", "1e", "00.5", "1.e5", "0b102"] {
            let e = failure("n = \(bad)\n")
            #expect(e?.line == 1, "\(bad) should be refused")
        }
    }

    @Test func integerOverflowIsAnError() throws {
        let e = try #require(failure("\nn = 9223372036854775808\n"))
        #expect(e.line == 2)
        #expect(e.message.contains("does not fit in 64 bits"))
    }

    @Test func invalidDatesAreRefused() throws {
        #expect(failure("d = 2023-02-29\n")?.message == "invalid date-time 2023-02-29")
        #expect(failure("d = 2024-02-29\n") == nil)
        #expect(failure("d = 1979-05-27T25:00:00\n") != nil)
        #expect(failure("t = 07:61:00\n") != nil)
    }

    @Test func unterminatedStringsNameTheirLine() throws {
        #expect(failure("a = 1\nb = \"open\nc = 2\n")?.line == 2)
        #expect(failure("a = '''\nnever closed\n")?.line == 1)
        #expect(failure("a = \"\"\"x\"\"\"\"\"\"\n")?.message.contains("too many quotes") == true)
    }

    @Test func badEscapesAndControlCharactersAreRefused() throws {
        #expect(failure(#"a = "\q""#)?.message.contains("unknown escape") == true)
        #expect(failure(#"a = "\uD800""#)?.message.contains("not a Unicode scalar") == true)
        #expect(failure("a = \"x\u{01}y\"")?.message.contains("control character") == true)
        #expect(failure("# bell \u{07}\n")?.message.contains("control character") == true)
    }

    @Test func structuralErrorsNameWhatWasExpected() throws {
        #expect(failure("a = 1 b = 2\n")?.message.contains("end of the line") == true)
        #expect(failure("a\n")?.message == "expected \"=\" after key a")
        #expect(failure("a =\n")?.message == "missing value for key a")
        #expect(failure("[a\n")?.message.contains("\"]\"") == true)
        #expect(failure("[[a]\n")?.message.contains("\"]]\"") == true)
        #expect(failure("a = [1, 2\nb = 3\n") != nil)
        #expect(failure("a = [1 2]\n")?.message.contains("\",\" or \"]\"") == true)
        #expect(failure("a = 1\rb = 2\n")?.message.contains("carriage return") == true)
        #expect(failure("= 1\n")?.message.contains("expected a key") == true)
    }

    @Test func booleansMustBeLowercaseWords() throws {
        #expect(failure("a = True\n") != nil)
        #expect(failure("a = truex\n") != nil)
    }

    @Test func dottedKeysCannotInjectIntoAnExplicitTable() throws {
        // toml-lang/toml#846: [a.b.c] was defined; [a] must not add to it through b.c.t.
        #expect(failure("[a.b.c]\n  z = 9\n[a]\n  b.c.t = 1\n")?.line == 4)
        #expect(failure("[a.b.c.d]\n  z = 9\n[a]\n  b.c.d.k.t = 1\n")?.line == 4)
    }

    @Test func inlineTableCannotBeExtendedFromItsParent() throws {
        let text = "tbl = { fruit = { apple.color = \"red\" }, fruit.apple.texture = { smooth = true } }\n"
        #expect(failure(text)?.line == 1)
    }

    @Test func tablesInsideStaticArraysCannotBeExtended() throws {
        #expect(failure("a = [{ b = 1 }]\n\n[a.c]\nfoo = 1\n")?.line == 3)
    }

    @Test func specExampleOfRedefiningADottedTable() throws {
        let text = "\n[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n\n[fruit.apple]  # INVALID\n"
        #expect(failure(text)?.line == 6)
        let valid = "[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n"
        #expect(failure(valid) == nil, "sub-tables of a dotted table may still get headers")
    }
}
