#if canImport(Glibc)
    import Glibc
#endif

/// A NULL-terminated array of C strings (argv, envp) that owns its copies until `withPointer` returns.
///
/// Why: every spawn needs argv and envp as `char *const[]`; building them by hand with strdup/free in
/// each caller was repeated in six places and easy to leak on an early return.
public struct CStringArray {
    private let strings: [String]

    public init(_ strings: [String]) { self.strings = strings }

    /// `KEY=value` entries, sorted by key so children see a stable order.
    public init(environment: [String: String]) {
        strings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Calls `body` with the array; the strings are freed when it returns.
    public func withPointer<T, E: Error>(
        _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) throws(E) -> T
    ) throws(E) -> T {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { for p in copies { free(p) } }
        return try copies.withUnsafeBufferPointer { (buf) throws(E) -> T in
            // A buffer of a non-empty array always has a base address.
            try body(buf.baseAddress!)
        }
    }
}
