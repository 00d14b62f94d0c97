import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a `JailInvocation` through the nexus binary and reads back its `SandboxResult`: what module
/// tests and validation builds call (long-lived module processes spawn the argv themselves).
public enum JailClient {
    /// Spawns `nexus sandbox exec ... --capture --result-json TMP` and waits for it. Blocking.
    public static func run(_ invocation: JailInvocation, nexusExecutable: String) throws(SandboxError) -> SandboxResult
    {
        var inv = invocation
        var template = Array("/tmp/nexus-result-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw .system("mkstemp /tmp/nexus-result-*", String(cString: strerror(errno))) }
        close(fd)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        inv.resultJSON = path
        inv.capture = true
        let argv = inv.arguments(nexusExecutable: nexusExecutable)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let strings = CStrings()
        defer { strings.free() }
        let args = UnsafeMutablePointer(mutating: strings.array(argv))
        var pid: pid_t = 0
        let rc = args.withMemoryRebound(to: UnsafeMutablePointer<CChar>?.self, capacity: argv.count + 1) {
            posix_spawn(&pid, nexusExecutable, &actions, nil, $0, environ)
        }
        guard rc == 0 else { throw .system("starting \(nexusExecutable)", String(cString: strerror(rc))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard let text = readText(path), !text.isEmpty else {
            throw .system("nexus sandbox exec", "exited with status \(status >> 8) without a result (see its stderr)")
        }
        guard let value = try? JSONValue(parsing: text), let result = SandboxResult(json: value) else {
            throw .system("nexus sandbox exec", "unreadable result in \(path)")
        }
        return result
    }
}
