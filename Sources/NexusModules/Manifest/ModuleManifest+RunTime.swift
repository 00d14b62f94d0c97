import NexusCore

/// The run-time settings a manifest may declare beyond its command (DESIGN §4.3): which host paths the
/// module sees (`filesystem`), plain settings for its environment (`env`) and its resource limits
/// (`limits`). Each is shown in the install approval and applied by the launcher, so what runs is what
/// was approved. Kept apart from `ModuleManifest` so new run-time fields land here.
extension ModuleManifest {
    /// Host paths mounted into the module's sandbox at the same absolute path.
    public struct FilesystemGrants: Sendable, Equatable {
        /// Mounted read-only (a repository to inspect, a database to query).
        public var read: [String]
        /// Mounted read-write (a database the module updates, an output folder).
        public var write: [String]
        public init(read: [String] = [], write: [String] = []) {
            self.read = read
            self.write = write
        }
        public var isEmpty: Bool { read.isEmpty && write.isEmpty }
    }

    /// Resource limits of the module's process; nil means the configured default.
    public struct Limits: Sendable, Equatable {
        /// Memory limit in MB (`[sandbox.integration] memory_mb` when nil).
        public var memoryMB: Int?
        /// CPU-time limit in seconds over the process's life, 0 for none (`[modules] cpu_seconds` when nil).
        public var cpuSeconds: Int?
        public init(memoryMB: Int? = nil, cpuSeconds: Int? = nil) {
            self.memoryMB = memoryMB
            self.cpuSeconds = cpuSeconds
        }
        public var isEmpty: Bool { memoryMB == nil && cpuSeconds == nil }
    }

    /// Lines for the install approval and `modules info`: grants, settings and limits, or nothing when
    /// the manifest declares none of them.
    public var runTimeDetails: [ApprovalRequest.Detail] {
        var out: [ApprovalRequest.Detail] = []
        // The interpreter's prefixes are mounted too (read-only): the person sees which.
        let runtime = RuntimeMounts.resolve(program: self.runtime.command.first ?? "")
        if !runtime.readOnly.isEmpty {
            out.append(.init("runtime", runtime.readOnly.joined(separator: ", ") + " (read-only)"))
        }
        if !filesystem.read.isEmpty { out.append(.init("reads", filesystem.read.joined(separator: ", "))) }
        if !filesystem.write.isEmpty { out.append(.init("writes", filesystem.write.joined(separator: ", "))) }
        // A grant that reaches a user's dotfiles or the system's start-up paths is named on a line of its own.
        for w in StartupPaths.warnings(filesystem) { out.append(.init("warning", w)) }
        if !env.isEmpty {
            out.append(.init("settings", env.keys.sorted().map { "\($0)=\(env[$0] ?? "")" }.joined(separator: " ")))
        }
        if !limits.isEmpty {
            var parts: [String] = []
            if let m = limits.memoryMB { parts.append("memory \(m) MB") }
            if let c = limits.cpuSeconds { parts.append(c == 0 ? "cpu time unlimited" : "cpu time \(c) s") }
            out.append(.init("limits", parts.joined(separator: ", ")))
        }
        return out
    }
}
