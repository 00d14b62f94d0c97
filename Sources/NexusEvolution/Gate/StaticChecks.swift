import NexusCore

/// Checks a (syntax) and b (static policy): one sandboxed run of templates/python/gate/gate_static.py over
/// the copy. That script only compiles and parses the sources (no module code runs), so its JSON is
/// trusted; a run that prints no JSON fails both checks with what it printed on stderr.
enum StaticChecks {
    static func run(sandbox: GateSandbox, scratch: GateScratch) async throws(GateError) -> [GateCheck] {
        let runner = sandbox.templates + "/gate/gate_static.py"
        let out = try await sandbox.run(
            workspace: scratch.workspace, command: ["python3", "-I", "-B", runner, "/workspace", sandbox.templates],
            timeout: 30, scratch: scratch.output, label: "static")
        let each = out.seconds / 2
        guard let json = lastJSONLine(out.stdout), let syntax = json["syntax"], let policy = json["policy"] else {
            let why = out.timedOut ? "timed out" : "the static checker printed no result (\(out.status))"
            let tail = String(out.stderr.suffix(2000))
            let cat: FailureCategory = out.timedOut ? .timeout : .syntax
            return [.fail("syntax", cat, "\(why)\n\(tail)", seconds: each), .fail("policy", cat, why, seconds: each)]
        }
        // Each check gets its own time inside the run plus half of the sandbox's start-up and exit.
        let own = [syntax["seconds"]?.doubleValue ?? 0, policy["seconds"]?.doubleValue ?? 0]
        let shared = max(0, out.seconds - own[0] - own[1]) / 2
        let policyCategory = FailureCategory(rawValue: policy["category"]?.stringValue ?? "") ?? .policy
        return [
            check("syntax", syntax, category: .syntax, seconds: shared + own[0]),
            check("policy", policy, category: policyCategory, seconds: shared + own[1]),
        ]
    }

    static func check(_ name: String, _ j: JSONValue, category: FailureCategory, seconds: Double) -> GateCheck {
        let evidence = j["evidence"]?.stringValue ?? ""
        return j["passed"]?.boolValue == true
            ? .pass(name, evidence, seconds: seconds) : .fail(name, category, evidence, seconds: seconds)
    }

    /// The last line of `bytes` that parses as a JSON object.
    static func lastJSONLine(_ bytes: [UInt8]) -> JSONValue? {
        for line in bytes.split(separator: UInt8(ascii: "\n")).reversed() {
            // Lines that are not a JSON object are skipped while looking for the result line.
            if let v = try? JSONValue(parsing: Array(line)), v.objectValue != nil { return v }
        }
        return nil
    }
}
