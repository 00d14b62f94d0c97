#if canImport(Glibc)
    import Glibc
#endif

/// The process environment as a dictionary, read once.
enum ProcessEnvironment {
    static let current: [String: String] = {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            // Split on the first "=" byte: searching the String by Character (grapheme breaking) made reading
            // ~40 variables cost 0.6 M instructions, a tenth of the first prompt's set-up (BENCHMARKS.md).
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self),
                count: strlen(entry))
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
                env[String(decoding: bytes[..<eq], as: UTF8.self)] =
                    String(decoding: bytes[(eq + 1)...], as: UTF8.self)
            }
            p += 1
        }
        return env
    }()

    /// The directory nexus was started in, for relative paths the person typed (`--read ./repo`).
    static let workingDirectory: String = {
        guard let p = getcwd(nil, 0) else { return "/" }
        defer { free(p) }
        return String(cString: p)
    }()
}
