/// Text compared and hashed as its UTF-8 bytes, not as Swift's `String` does it.
///
/// A `String`'s `==` and `hash(into:)` follow canonical equivalence: before comparing or hashing a grapheme they put
/// its combining marks in canonical order, in time quadratic in the marks. One letter with 200,000 marks (600 KB, well
/// inside a module's 16 MB frame) took 28 s to hash and 18 s to compare (`swiftc -O`, BENCHMARKS.md session 9), so
/// any `Set`, dictionary key or `==` over text from outside (a module, a provider, a request) was a way to stall
/// nexus. The formats that text arrives in compare code points, not canonical forms (JSON object keys, MCP tool
/// names, HTTP), so bytes are also the right equality: "é" written as one code point and as two are two keys.
public struct ExactText: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: ExactText, b: ExactText) -> Bool { a.string.isExactly(b.string) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(string.utf8.count)
        let done: Void? = string.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if done == nil {
            for b in string.utf8 { hasher.combine(b) }
        }
    }
}

extension String {
    /// Whether the two hold the same UTF-8 bytes: linear in their length, whatever they contain (see `ExactText`).
    public func isExactly(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let fast = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in a.elementsEqual(b) }
        }
        return (fast ?? nil) ?? utf8.elementsEqual(other.utf8)
    }
}
