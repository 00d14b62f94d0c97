import NexusTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `nexus` as a user would: arguments, environment, piped stdin; captures both streams.
struct NexusBinary {
    /// The debug binary built by `swift build`, found from this source file's location.
    static var path: String {
        if let p = getenv("NEXUS_BINARY") { return String(cString: p) }
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir + "/.build/debug/nexus"
    }

    /// The package root (where Package.swift is).
    static var packageRoot: String {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir
    }

    static var exists: Bool { access(path, X_OK) == 0 }

    /// Runs `nexus args` with `stdin` piped in and a clean environment plus `env`.
    static func run(
        _ args: [String], stdin: String = "", env: [String: String] = [:], closeStdoutEarly: Bool = false,
        timeout: Double = 60
    ) -> Subprocess.Result {
        Subprocess.run(
            [path] + args, stdin: Array(stdin.utf8), environment: environment(env), timeout: timeout,
            closeStdoutAfter: closeStdoutEarly ? 1 : nil)
    }

    /// Runs `nexus args` with its stdout redirected by the shell (`>/dev/full`, `>&-`); stderr is captured.
    static func run(_ args: [String], stdout redirection: String, stdin: String = "", env: [String: String] = [:])
        -> Subprocess.Result
    {
        Subprocess.run(
            ["/bin/sh", "-c", "exec \"$0\" \"$@\" \(redirection)", path] + args, stdin: Array(stdin.utf8),
            environment: environment(env), timeout: 60)
    }

    /// A clean environment plus `env`.
    static func environment(_ env: [String: String]) -> [String: String] {
        var base: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/nonexistent-home", "LANG": "C.UTF-8",
        ]
        if let p = getenv("PATH") { base["PATH"] = String(cString: p) }
        for (k, v) in env { base[k] = v }
        return base
    }
}

/// The test process's own environment, for helper processes that need the user's PATH and HOME.
enum HostEnvironment {
    static var current: [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }
}
