#if canImport(Glibc)
    import Glibc
#endif

/// The process environment as a dictionary, read once.
enum ProcessEnvironment {
    static let current: [String: String] = {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                env[String(s[..<eq])] = String(s[s.index(after: eq)...])
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
