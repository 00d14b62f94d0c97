import NexusCore
import NexusTesting

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// Paths and helpers shared by the module tests: the Python fixture server and temp module folders.
enum Fixtures {
    static let directory: String = {
        let file = #filePath
        let dir = file[..<(file.lastIndex(of: "/") ?? file.endIndex)]
        return dir + "/Fixtures"
    }()

    static let server = directory + "/mcp_fixture.py"

    /// Starts the fixture in `mode` with a direct launcher and returns the client after the handshake.
    static func connect(
        _ mode: String, limits: MCPLimits = MCPLimits(), log: ModuleLog = ModuleLog(path: nil),
        module: String = "fixture"
    ) async throws -> MCPClient {
        let spec = LaunchSpec(
            module: module, command: ["python3", server, mode], workingDirectory: "/tmp", environment: [:],
            networkAllow: [])
        let process = try DirectLauncher().launch(spec)
        return try await MCPClient.connect(module: module, process: process, log: log, limits: limits)
    }

    /// Writes a module folder with the fixture as its adapter. `extra` merges into the manifest.
    @discardableResult
    static func moduleFolder(
        in dir: TemporaryDirectory, name: String, category: String = "testing", version: String = "1.0.0",
        mode: String = "normal", extra: JSONObject = JSONObject(), versionFile: String? = nil
    ) -> String {
        let folder = dir.path + "/src-\(name)-\(version)"
        _ = mkdir(folder, 0o755)
        let adapter = (try? ModuleFiles.read(server)) ?? []
        try? ModuleFiles.writeFile(folder + "/adapter.py", adapter, mode: 0o644)
        var m = JSONObject([
            ("name", .string(name)), ("version", .string(version)), ("category", .string(category)),
            ("description", "A test module."), ("entry_point", "adapter.py"),
            ("runtime", ["protocol": "mcp-stdio", "command": ["python3", "adapter.py", .string(mode)]]),
            ("test_file", "test_adapter.py"),
        ])
        for (k, v) in extra.pairs { m[k] = v }
        try? ModuleFiles.writeFile(folder + "/manifest.json", Array(JSONValue.object(m).pretty().utf8), mode: 0o644)
        try? ModuleFiles.writeFile(
            folder + "/test_adapter.py", Array("import sys\nprint('tests ok')\nsys.exit(0)\n".utf8), mode: 0o644)
        try? ModuleFiles.writeFile(folder + "/VERSION", Array((versionFile ?? version).utf8), mode: 0o644)
        return folder
    }

    /// CPU time (user + system, seconds) this process's threads named `prefix…` have used, from /proc.
    /// CPU seconds of this process's threads whose name starts with `prefix`, and how many there are.
    static func cpuSeconds(threadsNamed prefix: String) -> (seconds: Double, threads: Int) {
        guard let dir = opendir("/proc/self/task") else { return (0, 0) }
        defer { closedir(dir) }
        var total = 0.0
        var count = 0
        while let entry = readdir(dir) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !tid.hasPrefix("."), let comm = try? ModuleFiles.read("/proc/self/task/\(tid)/comm"),
                String(decoding: comm, as: UTF8.self).hasPrefix(prefix)
            else { continue }
            count += 1
            total += cpuSeconds(statFile: "/proc/self/task/\(tid)/stat") ?? 0
        }
        return (total, count)
    }

    /// CPU time (user + system, seconds) in a /proc `stat` file.
    private static func cpuSeconds(statFile: String) -> Double? {
        guard let bytes = try? ModuleFiles.read(statFile) else { return nil }
        let s = String(decoding: bytes, as: UTF8.self)
        guard let close = s.lastIndex(of: ")") else { return nil }
        let fields = s[s.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let k = Double(fields[12]) else { return nil }
        return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Answers every approval the same way and counts the questions.
final class FixedApprovals: ApprovalHandler, @unchecked Sendable {
    let answer: ApprovalDecision
    private let lock = NSLockLike()
    private var _requests: [ApprovalRequest] = []
    init(_ answer: ApprovalDecision) { self.answer = answer }
    var requests: [ApprovalRequest] { lock.with { _requests } }
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision {
        lock.with { _requests.append(request) }
        return answer
    }
}

/// A tiny pthread mutex for test helpers.
final class NSLockLike: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    func with<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return body()
    }
}
