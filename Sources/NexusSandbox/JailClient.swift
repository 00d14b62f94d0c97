import NexusCore
import NexusPOSIX

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
        // The jailer is this process's child: a run never outlives the process waiting for it.
        if inv.parentPID == nil { inv.parentPID = getpid() }
        let argv = inv.arguments(nexusExecutable: nexusExecutable)
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(argv, executable: nexusExecutable, SpawnOptions(stdin: .null, stdout: .null))
        } catch {
            throw .system("starting \(nexusExecutable)", error.reason)
        }
        let status = ChildProcess.wait(pid)
        guard let text = readText(path), !text.isEmpty else {
            throw .system("nexus sandbox exec", "ended with \(status) without a result (see its stderr)")
        }
        // The else branch reports the unreadable result.
        guard let value = try? JSONValue(parsing: text), let result = SandboxResult(json: value) else {
            throw .system("nexus sandbox exec", "unreadable result in \(path)")
        }
        return result
    }
}
