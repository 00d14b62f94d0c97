import NexusCore
import Testing

/// One letter and `pairs` × two combining marks of different classes. Swift's `String` `==` and `hash(into:)` put
/// such a grapheme in canonical order before they compare or hash it, in time quadratic in its marks: hashing one of
/// 200,000 marks took 28 s and comparing two 18 s (`swiftc -O`, this machine). Every JSON document nexus reads (a
/// module's frames, a provider's answer, a request to its servers) can carry one.
private func heavyGrapheme(pairs: Int, swapped: Bool = false) -> String {
    "a" + String(repeating: swapped ? "\u{0316}\u{0301}" : "\u{0301}\u{0316}", count: pairs)
}

/// Specs of JSON values holding hostile text: they cost time linear in their bytes, and keys are exact.
@Suite struct JSONHostileTextSpecs {
    @Test func anObjectKeyOfOneLetterAndTwoHundredThousandCombiningMarksParsesInLinearTime() throws {
        let key = heavyGrapheme(pairs: 100_000)
        let text = "{\"" + key + "\": 1, \"b\": 2}"
        let start = MonotonicClock.nanoseconds()
        let parsed = try JSONValue(parsing: text)
        let ms = MonotonicClock.millisSince(start)
        // Its 200,000 marks are read in canonical order (`MarkOrder`): canonically the same key, other bytes.
        #expect(parsed[MarkOrder.ordered(key)]?.intValue == 1)
        #expect(parsed["b"]?.intValue == 2)
        // Linear work is a few milliseconds here; normalising the key to hash it took 28 s before.
        #expect(ms < 3_000, "parsing took \(ms) ms")
    }

    @Test func twoKeysThatDifferOnlyInTheOrderOfTheirMarksAreTwoKeys() throws {
        // JSON compares keys as code points: these two are different members, not one written twice.
        let parsed = try JSONValue(parsing: "{\"a\u{0301}\u{0316}\": 1, \"a\u{0316}\u{0301}\": 2}")
        #expect(parsed.objectValue?.count == 2)
        #expect(parsed["a\u{0301}\u{0316}"]?.intValue == 1)
        #expect(parsed["a\u{0316}\u{0301}"]?.intValue == 2)
    }

    @Test func twoHostileSchemasThatDifferAreToldApartInLinearTime() {
        let a: JSONValue = ["description": .string(heavyGrapheme(pairs: 100_000))]
        let b: JSONValue = ["description": .string(heavyGrapheme(pairs: 100_000, swapped: true))]
        let start = MonotonicClock.nanoseconds()
        let same = a == b
        let ms = MonotonicClock.millisSince(start)
        // Different bytes are a different schema (String's `==` calls them equal, after 18 s).
        #expect(!same)
        #expect(a == a)
        #expect(ms < 3_000, "comparing took \(ms) ms")
    }
}
