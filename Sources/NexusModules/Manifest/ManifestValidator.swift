import NexusCore

/// Checks a parsed manifest field by field and builds `ModuleManifest`, collecting every problem with
/// its field path so the error reads like `network.allow[0]: "https://x" is a URL, expected a host name`.
struct ManifestValidator {
    let file: String
    private var issues: [ManifestError.Issue] = []

    init(file: String) { self.file = file }

    mutating func fail(_ field: String, _ message: String) {
        issues.append(.init(field: field, message: message))
    }

    func validate(_ json: JSONValue) throws(ManifestError) -> ModuleManifest {
        var v = self
        return try v.run(json)
    }

    private mutating func run(_ json: JSONValue) throws(ManifestError) -> ModuleManifest {
        guard let o = json.objectValue else {
            throw ManifestError(file: file, field: "", "expected a JSON object at the top, got \(json.kindName)")
        }
        let name = identifier(o, "name")
        let category = identifier(o, "category")
        let version = requiredString(o, "version")
        if let version, !Self.isVersion(version) {
            fail("version", "\(quoted(version)) is not a version like 1.0.0")
        }
        let description = optionalString(o, "description") ?? ""
        let entryPoint = optionalString(o, "entry_point")
        if let ep = entryPoint, let p = Self.relativePathProblem(ep) { fail("entry_point", p) }
        let testFile = optionalString(o, "test_file")
        if let tf = testFile, let p = Self.relativePathProblem(tf) { fail("test_file", p) }
        let healthStatus = optionalString(o, "health_status")
        if let h = healthStatus, ModuleHealth(rawValue: h) == nil {
            fail(
                "health_status",
                "\(quoted(h)) is not one of \(ModuleHealth.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let requiresKey = optionalBool(o, "requires_api_key") ?? false
        let deps = stringArray(o, "python_dependencies")
        if let vr = o["validation_results"], !vr.isNull, vr.objectValue == nil {
            fail("validation_results", "expected an object, got \(vr.kindName)")
        }
        let runtime = parseRuntime(o, entryPoint: entryPoint)
        let credentials = parseCredentials(o)
        let network = parseNetwork(o)
        var rate: Int?
        if let r = o["rate_limit_per_minute"], !r.isNull {
            if let n = r.intValue, n > 0 {
                rate = n
            } else {
                fail("rate_limit_per_minute", "expected a positive whole number, got \(r.serialized)")
            }
        }
        let sensitive = stringArray(o, "sensitive_tools")
        for (i, g) in sensitive.enumerated() where g.isEmpty { fail("sensitive_tools[\(i)]", "empty pattern") }
        // An empty string is "not set yet" (built-in manifests ship with "sha256": "").
        let sha = optionalString(o, "sha256").flatMap { $0.isEmpty ? nil : $0 }
        if let s = sha, !Self.isSHA256(s) { fail("sha256", "\(quoted(s)) is not 64 lowercase hex digits") }
        if requiresKey && credentials.isEmpty && o["credentials"] == nil {
            // Seed manifests say requires_api_key without naming the variable; nothing to inject then.
        }
        let filesystem = parseFilesystem(o)
        let env = parseEnv(o, credentials: credentials)
        let limits = parseLimits(o)
        if !issues.isEmpty { throw ManifestError(file: file, issues: issues) }
        var manifest = ModuleManifest(
            name: name ?? "", version: version ?? "", category: category ?? "",
            platform: optionalString(o, "platform"), displayName: optionalString(o, "display_name"),
            description: description, entryPoint: entryPoint, className: optionalString(o, "class_name"),
            requiresAPIKey: requiresKey, apiKeyInstructions: optionalString(o, "api_key_instructions"),
            pythonDependencies: deps, testFile: testFile, healthStatus: healthStatus,
            createdBy: optionalString(o, "created_by"), createdAt: optionalString(o, "created_at"),
            buildProvider: optionalString(o, "build_provider"), validationResults: o["validation_results"],
            runtime: runtime ?? .init(command: []), credentials: credentials, networkAllow: network,
            rateLimitPerMinute: rate, sensitiveTools: sensitive, sha256: sha, raw: json)
        manifest.filesystem = filesystem
        manifest.env = env
        manifest.limits = limits
        return manifest
    }

    // MARK: sections

    private mutating func parseRuntime(_ o: JSONObject, entryPoint: String?) -> ModuleManifest.Runtime? {
        guard let r = o["runtime"], !r.isNull else {
            if let ep = entryPoint, ep.hasSuffix(".py") { return .init(command: ["python3", ep]) }
            if entryPoint == nil {
                fail("runtime", "missing: give runtime.command, or an entry_point ending in .py")
            } else {
                fail("runtime", "missing: entry_point is not a .py file, so runtime.command must say how to run it")
            }
            return nil
        }
        guard let ro = r.objectValue else {
            fail("runtime", "expected an object, got \(r.kindName)")
            return nil
        }
        let proto = ro["protocol"]?.stringValue ?? ModuleManifest.protocolMCPStdio
        if let p = ro["protocol"], p.stringValue == nil {
            fail("runtime.protocol", "expected a string, got \(p.kindName)")
        }
        if proto != ModuleManifest.protocolMCPStdio {
            fail("runtime.protocol", "\(quoted(proto)) is not supported, expected \"mcp-stdio\"")
        }
        guard let c = ro["command"] else {
            fail("runtime.command", "missing: an array like [\"python3\", \"adapter.py\"]")
            return nil
        }
        guard let arr = c.arrayValue else {
            fail("runtime.command", "expected an array of strings, got \(c.kindName)")
            return nil
        }
        if arr.isEmpty { fail("runtime.command", "empty: name the program to run") }
        var cmd: [String] = []
        for (i, a) in arr.enumerated() {
            guard let s = a.stringValue else {
                fail("runtime.command[\(i)]", "expected a string, got \(a.kindName)")
                continue
            }
            if s.utf8.contains(0) { fail("runtime.command[\(i)]", "contains a NUL byte") }
            cmd.append(s)
        }
        if let first = cmd.first, first.isEmpty { fail("runtime.command[0]", "empty program name") }
        return .init(protocolName: proto, command: cmd)
    }

    private mutating func parseCredentials(_ o: JSONObject) -> [ModuleManifest.Credential] {
        guard let c = o["credentials"], !c.isNull else { return [] }
        guard let arr = c.arrayValue else {
            fail("credentials", "expected an array, got \(c.kindName)")
            return []
        }
        var out: [ModuleManifest.Credential] = []
        var seen: Set<String> = []
        for (i, item) in arr.enumerated() {
            let f = "credentials[\(i)]"
            guard let io = item.objectValue else {
                fail(f, "expected an object, got \(item.kindName)")
                continue
            }
            guard let name = io["name"]?.stringValue, !name.isEmpty else {
                fail(f + ".name", "missing: a short name like \"api_key\"")
                continue
            }
            guard let env = io["env"]?.stringValue else {
                fail(f + ".env", "missing: the environment variable to set")
                continue
            }
            if !Self.isEnvName(env) {
                fail(f + ".env", "\(quoted(env)) is not an environment variable name like API_KEY")
            }
            if let reserved = Self.reservedEnvProblem(env) { fail(f + ".env", "\(quoted(env)) \(reserved)") }
            if !seen.insert(env).inserted { fail(f + ".env", "\(quoted(env)) is listed twice") }
            out.append(.init(name: name, env: env, instructions: io["instructions"]?.stringValue))
        }
        return out
    }

    private mutating func parseNetwork(_ o: JSONObject) -> [String] {
        guard let n = o["network"], !n.isNull else { return [] }
        guard let no = n.objectValue else {
            fail("network", "expected an object like {\"allow\": [\"api.example.com\"]}, got \(n.kindName)")
            return []
        }
        guard let a = no["allow"], !a.isNull else { return [] }
        guard let arr = a.arrayValue else {
            fail("network.allow", "expected an array of host names, got \(a.kindName)")
            return []
        }
        var hosts: [String] = []
        for (i, h) in arr.enumerated() {
            let f = "network.allow[\(i)]"
            guard let s = h.stringValue else {
                fail(f, "expected a host name, got \(h.kindName)")
                continue
            }
            if let p = Self.hostProblem(s) { fail(f, "\(quoted(s)) \(p)") } else { hosts.append(s.lowercased()) }
        }
        return hosts
    }

    // MARK: field helpers

    private mutating func requiredString(_ o: JSONObject, _ key: String) -> String? {
        guard let v = o[key] else {
            fail(key, "missing")
            return nil
        }
        guard let s = v.stringValue else {
            fail(key, "expected a string, got \(v.kindName)")
            return nil
        }
        if s.isEmpty { fail(key, "empty") }
        return s
    }

    private mutating func optionalString(_ o: JSONObject, _ key: String) -> String? {
        guard let v = o[key], !v.isNull else { return nil }
        guard let s = v.stringValue else {
            fail(key, "expected a string, got \(v.kindName)")
            return nil
        }
        return s
    }

    private mutating func optionalBool(_ o: JSONObject, _ key: String) -> Bool? {
        guard let v = o[key], !v.isNull else { return nil }
        guard let b = v.boolValue else {
            fail(key, "expected true or false, got \(v.kindName)")
            return nil
        }
        return b
    }

    mutating func stringArray(_ o: JSONObject, _ key: String) -> [String] {
        guard let v = o[key], !v.isNull else { return [] }
        guard let arr = v.arrayValue else {
            fail(key, "expected an array of strings, got \(v.kindName)")
            return []
        }
        var out: [String] = []
        for (i, e) in arr.enumerated() {
            if let s = e.stringValue {
                out.append(s)
            } else {
                fail("\(key)[\(i)]", "expected a string, got \(e.kindName)")
            }
        }
        return out
    }

    private mutating func identifier(_ o: JSONObject, _ key: String) -> String? {
        guard let s = requiredString(o, key), !s.isEmpty else { return nil }
        if let p = Self.identifierProblem(s) { fail(key, "\(quoted(s)) \(p)") }
        return s
    }

    private func quoted(_ s: String) -> String { JSONValue.string(s).serialized }
}
