import NexusCore

/// What `modules install` flags add to a module's manifest before it is hashed and approved:
/// filesystem grants (`--read`, `--write`), plain settings (`--env NAME=VALUE`) and limits
/// (`--memory`, `--cpu-seconds`). Written into the manifest, they are pinned by its sha256 and shown
/// in the approval like anything the module's author declared.
public struct InstallSettings: Sendable, Equatable {
    public var read: [String] = []
    public var write: [String] = []
    /// NAME → value, in the order given.
    public var env: [(name: String, value: String)] = []
    public var memoryMB: Int?
    public var cpuSeconds: Int?

    public init(
        read: [String] = [], write: [String] = [], env: [(name: String, value: String)] = [], memoryMB: Int? = nil,
        cpuSeconds: Int? = nil
    ) {
        self.read = read
        self.write = write
        self.env = env
        self.memoryMB = memoryMB
        self.cpuSeconds = cpuSeconds
    }

    public var isEmpty: Bool { read.isEmpty && write.isEmpty && env.isEmpty && memoryMB == nil && cpuSeconds == nil }

    public static func == (a: InstallSettings, b: InstallSettings) -> Bool {
        a.read == b.read && a.write == b.write && a.env.map(\.name) == b.env.map(\.name)
            && a.env.map(\.value) == b.env.map(\.value) && a.memoryMB == b.memoryMB && a.cpuSeconds == b.cpuSeconds
    }

    /// `manifest` with these settings merged in: paths added to `filesystem.read`/`write` (no
    /// duplicates), `env` entries set (a flag wins over the file), `limits` fields replaced.
    public func applied(to manifest: JSONValue) -> JSONValue {
        guard case .object(var o) = manifest, !isEmpty else { return manifest }
        if !read.isEmpty || !write.isEmpty {
            var fs = o["filesystem"]?.objectValue ?? JSONObject()
            for (key, add) in [("read", read), ("write", write)] where !add.isEmpty {
                var list = fs[key]?.arrayValue ?? []
                for p in add where !list.contains(.string(p)) { list.append(.string(p)) }
                fs[key] = .array(list)
            }
            o["filesystem"] = .object(fs)
        }
        if !env.isEmpty {
            var e = o["env"]?.objectValue ?? JSONObject()
            for (name, value) in env { e[name] = .string(value) }
            o["env"] = .object(e)
        }
        if memoryMB != nil || cpuSeconds != nil {
            var l = o["limits"]?.objectValue ?? JSONObject()
            if let m = memoryMB { l["memory_mb"] = .number(Double(m)) }
            if let c = cpuSeconds { l["cpu_seconds"] = .number(Double(c)) }
            o["limits"] = .object(l)
        }
        return .object(o)
    }
}
