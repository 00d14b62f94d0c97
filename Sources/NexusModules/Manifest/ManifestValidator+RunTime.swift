import NexusCore

/// Checks the run-time sections of a manifest: `filesystem`, `env` and `limits` (see
/// `ModuleManifest+RunTime`), and the environment names nexus keeps for itself.
extension ManifestValidator {
    /// Largest and smallest memory limit the jailer accepts, in MB.
    static let memoryRange = 16...1_048_576
    /// A CPU-time limit above a week is a typo.
    static let cpuRange = 0...604_800

    /// Why `name` cannot be set for a module (nil when it can): names that steer the interpreter, the
    /// dynamic loader, the proxy or nexus itself would let a setting change what code runs or where it
    /// connects, outside what was approved. Shared by `env` and `credentials[].env`.
    public static func reservedEnvProblem(_ name: String) -> String? {
        ReservedEnvironment.problem(name)  // one rule for manifests, install flags, creds and the vault
    }

    /// An environment variable name: letters (either case), digits and `_`, not starting with a digit.
    static func isSettingName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, !(f >= UInt8(ascii: "0") && f <= UInt8(ascii: "9")), u.count <= 128 else {
            return false
        }
        return u.allSatisfy { c in
            isLowerAlnum(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
        }
    }

    /// Why `path` is not usable as a filesystem grant as written (nil when it is): absolute, no NUL, no
    /// `.` or `..` component, not `/`.
    public static func grantPathProblem(_ path: String) -> String? {
        if path.utf8.contains(0) { return "contains a NUL byte" }
        guard path.hasPrefix("/") else { return "is not an absolute path" }
        let parts = path.split(separator: "/")
        if parts.isEmpty { return "is the whole filesystem" }
        if parts.contains(where: { $0 == "." || $0 == ".." }) { return "contains . or .., give the plain path" }
        return nil
    }

    mutating func parseFilesystem(_ o: JSONObject) -> ModuleManifest.FilesystemGrants {
        guard let f = o["filesystem"], !f.isNull else { return .init() }
        guard let fo = f.objectValue else {
            fail("filesystem", "expected an object like {\"read\": [\"/srv/repo\"], \"write\": []}, got \(f.kindName)")
            return .init()
        }
        for key in fo.keys where key != "read" && key != "write" {
            fail("filesystem.\(key)", "unknown key, expected \"read\" or \"write\"")
        }
        func paths(_ key: String) -> [String] {
            var out: [String] = []
            for (i, p) in stringArray(fo, key).enumerated() {
                if let problem = Self.grantPathProblem(p) {
                    fail("filesystem.\(key)[\(i)]", "\(JSONValueQuote.q(p)) \(problem)")
                } else if !out.contains(p) {
                    out.append(p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p)
                }
            }
            return out
        }
        return .init(read: paths("read"), write: paths("write"))
    }

    mutating func parseEnv(_ o: JSONObject, credentials: [ModuleManifest.Credential]) -> [String: String] {
        guard let e = o["env"], !e.isNull else { return [:] }
        guard let eo = e.objectValue else {
            fail("env", "expected an object like {\"ALLOWED_DIR\": \"/srv/data\"}, got \(e.kindName)")
            return [:]
        }
        var out: [String: String] = [:]
        for (name, value) in eo.pairs {
            let f = "env.\(name)"
            guard Self.isSettingName(name) else {
                fail(f, "\(JSONValueQuote.q(name)) is not an environment variable name like ALLOWED_DIR")
                continue
            }
            if let p = Self.reservedEnvProblem(name) { fail(f, p) }
            if credentials.contains(where: { $0.env == name }) { fail(f, "is also a credential's env; keep one") }
            guard let s = value.stringValue else {
                fail(f, "expected a string value, got \(value.kindName)")
                continue
            }
            if s.utf8.contains(0) { fail(f, "contains a NUL byte") }
            out[name] = s
        }
        return out
    }

    mutating func parseLimits(_ o: JSONObject) -> ModuleManifest.Limits {
        guard let l = o["limits"], !l.isNull else { return .init() }
        guard let lo = l.objectValue else {
            fail("limits", "expected an object like {\"memory_mb\": 1024, \"cpu_seconds\": 600}, got \(l.kindName)")
            return .init()
        }
        for key in lo.keys where key != "memory_mb" && key != "cpu_seconds" {
            fail("limits.\(key)", "unknown key, expected \"memory_mb\" or \"cpu_seconds\"")
        }
        var limits = ModuleManifest.Limits()
        if let m = lo["memory_mb"], !m.isNull {
            if let n = m.intValue, Self.memoryRange.contains(n) {
                limits.memoryMB = n
            } else {
                fail("limits.memory_mb", "expected megabytes from 16 to 1048576, got \(m.serialized)")
            }
        }
        if let c = lo["cpu_seconds"], !c.isNull {
            if let n = c.intValue, Self.cpuRange.contains(n) {
                limits.cpuSeconds = n
            } else {
                fail("limits.cpu_seconds", "expected seconds from 0 (none) to 604800, got \(c.serialized)")
            }
        }
        return limits
    }
}
