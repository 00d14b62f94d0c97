#if canImport(Glibc)
    import Glibc
#endif

/// Where `swift build` put this package's executables, found from this source file's location (or
/// `NEXUS_BINARY` for `nexus` itself): what tests run out of process.
public enum BuiltProducts {
    /// The package root (where Package.swift is).
    public static var packageRoot: String {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir
    }

    /// `.build/debug/nexus`.
    public static var nexus: String {
        if let p = getenv("NEXUS_BINARY") { return String(cString: p) }
        return packageRoot + "/.build/debug/nexus"
    }

    /// `.build/debug/nexus-fake-mcp`, the scripted MCP server.
    public static var fakeMCP: String { packageRoot + "/.build/debug/nexus-fake-mcp" }

    /// Whether `path` is there and executable.
    public static func isBuilt(_ path: String) -> Bool { access(path, X_OK) == 0 }
}
