import NexusCore
import Testing

@Suite struct JSONValueSpecs {
    @Test func roundTripsNestedDocumentsKeepingKeyOrder() throws {
        let text = #"{"type":"token","turn":3,"nested":{"b":[1,2.5,true,null],"a":"x"}}"#
        let v = try JSONValue(parsing: text)
        #expect(v.serialized == text)
        #expect(v["nested"]?["b"]?[1]?.doubleValue == 2.5)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONValue(parsing: #""a\n\"b\" \u00e9 \ud83d\ude00 \/""#)
        #expect(v.stringValue == "a\n\"b\" é 😀 /")
        #expect(JSONValue.string("line\nquote\"\u{01}").serialized == #""line\nquote\"\u0001""#)
    }

    @Test func loneSurrogateBecomesReplacementCharacter() throws {
        #expect(try JSONValue(parsing: #""\ud800x""#).stringValue == "\u{FFFD}x")
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "tru", "01x", "\"unterminated", "{\"a\":1}}", "[1 2]", "\"\u{01}\"",
    ])
    func malformedInputIsRejectedWithAnOffset(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func deepNestingIsRejectedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func integersPrintWithoutFractionAndNonFiniteBecomesNull() {
        #expect(JSONValue.number(42).serialized == "42")
        #expect(JSONValue.number(-0.5).serialized == "-0.5")
        #expect(JSONValue.number(.infinity).serialized == "null")
    }

    @Test func objectSubscriptSetterReplacesAndRemoves() {
        var o = JSONObject()
        o["a"] = 1
        o["b"] = 2
        o["a"] = 3
        o["b"] = nil
        #expect(o.keys == ["a"])
        #expect(JSONValue.object(o).serialized == #"{"a":3}"#)
    }
}

/// Found by fuzz/run.sh json: `[0,-2.5e10444]` parsed to -infinity and was written back as `null`.
@Suite struct JSONNumberRangeSpecs {
    @Test func aNumberBeyondDoubleIsRefusedInsteadOfBecomingNull() {
        for text in ["[0,-2.5e10444]", "1e999", "{\"x\": -1E400}"] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        }
        #expect((try? JSONValue(parsing: "1.7976931348623157e308")) != nil, "the largest double still parses")
        #expect((try? JSONValue(parsing: "1e-400")) == .number(0), "underflow is a finite zero")
    }
}
