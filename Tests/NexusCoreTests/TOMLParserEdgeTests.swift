import NexusCore
import Testing

/// Corners of TOML 1.0 that readers commonly get wrong.
@Suite struct TOMLParserEdgeTests {
    func parse(_ text: String) throws -> TOMLTable { try TOMLParser.parse(text) }

    @Test func nestedArraysOfTablesGoIntoTheLatestElement() throws {
        let doc = try parse(
            """
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """)
        let fruits = try #require(doc["fruits"]?.array)
        #expect(fruits.count == 2)
        #expect(fruits[0].table?.value(at: ["physical", "color"])?.string == "red")
        #expect(fruits[0].table?["varieties"]?.array?.count == 2)
        #expect(fruits[1].table?["varieties"]?.array?.first?.table?["name"]?.string == "plantain")
        #expect(fruits[1].table?["varieties"]?.array?.first?.line == 11)
    }

    @Test func quotesNextToMultiLineDelimitersBelongToTheContent() throws {
        let doc = try parse(
            #"""
            one = """ "one quote" """
            lit = ''' ''two'' '''
            mix = """aaa'''bbb"""
            """#)
        #expect(doc["one"]?.string == #" "one quote" "#)
        #expect(doc["lit"]?.string == " ''two'' ")
        #expect(doc["mix"]?.string == "aaa'''bbb")
    }

    @Test func keysMayLookLikeNumbersAndHeadersMayHaveSpaces() throws {
        let doc = try parse(
            """
            1234 = "a"
            3.14 = "pi"
            "" = "blank"
            [ x . 'y z' ]
            k = 1
            """)
        #expect(doc["1234"]?.string == "a")
        #expect(doc.value(at: ["3", "14"])?.string == "pi")
        #expect(doc[""]?.string == "blank")
        #expect(doc.value(at: ["x", "y z", "k"])?.integer == 1)
    }

    @Test func emptyBasicAndLiteralKeysAreTheSameKey() throws {
        #expect(throws: TOMLError.self) { try parse("\"\" = 1\n'' = 2\n") }
    }

    @Test func valuesInsideInlineTablesMaySpanLines() throws {
        let doc = try parse("a = { b = [\n1,\n2\n], c = \"\"\"x\ny\"\"\" }\nd = 1\n")
        #expect(doc.value(at: ["a", "b"])?.array?.count == 2)
        #expect(doc.value(at: ["a", "c"])?.string == "x\ny")
        #expect(doc.entry("d")?.line == 6)
    }

    @Test func lineEndingBackslashSwallowsBlankLinesAndTrailingSpaces() throws {
        let doc = try parse("a = \"\"\"\\\n\n   \\\n   x\"\"\"\nb = \"\"\"one \\   \n   two\"\"\"\n")
        #expect(doc["a"]?.string == "x")
        #expect(doc["b"]?.string == "one two")
    }

    @Test func signedZerosAndUnderscoredExponents() throws {
        let doc = try parse("x = -0\ny = +0.0\nz = -0.0\nv = 1_2.3_4e1_0\n")
        #expect(doc["x"]?.integer == 0)
        #expect(doc["y"]?.float == 0)
        #expect(doc["z"]?.float?.sign == .minus)
        #expect(doc["v"]?.float == 12.34e10)
    }

    @Test func moreMalformedDocumentsAreRefused() {
        let bad = [
            "a = 1979-05-27T07:32:00+25:00", "a = [1,,2]", "a = [,]", "[a]]", "a.b = 1\na = 2", "a = 1\na.b = 2",
            "a = \"\\x41\"", "a = { b = 1 } c = 2", "[]", "a = 0x-1", "\"multi\nline\" = 1", "a = \"\"\"\\ x\"\"\"",
            "a = 00:00", "[[a]]\nb = 1\n[a]",
        ]
        for text in bad {
            #expect(throws: TOMLError.self, "\(text)") { try TOMLParser.parse(text) }
        }
    }
}
