import NexusCore
import NexusModules

/// Checks e (the module's tests pass, offline, HTTP mocked) and f (they have teeth: mutation score ≥ 0.8
/// over at least 5 mutants), in one sandboxed run of templates/python/gate/gate_tests.py.
///
/// The module's code runs there and is hostile, so its output is never the verdict. nexus writes a fresh
/// nonce on the runner's stdin; the runner reads it before any module code starts (each suite runs in a
/// new interpreter that never sees it) and prefixes its one result line with it. Only that line counts.
/// A module that fakes "OK" lines or exits early gets no result; one that forges its own suite's report
/// also passes every mutant, and the mutation check rejects it.
enum TestsCheck {
    static let minimumMutants = 5
    static let minimumScore = 0.8

    struct Result: Sendable {
        var tests: GateCheck
        var mutation: GateCheck
        var testsPassed = 0
        var testsTotal = 0
        var mutantsKilled = 0
        var mutantsTotal = 0
    }

    /// A runner started ahead of time: it copies the folder and makes the mutants (no module code runs)
    /// while the static checks go on, then waits for the nonce that lets it start.
    struct Prepared: Sendable {
        let started: GateSandbox.Started
        let testFile: String
        let nonce: String
    }

    static func prepare(sandbox: GateSandbox, workspace: String, scratch: GateScratch, manifest: ModuleManifest)
        throws(GateError) -> Prepared?
    {
        guard let testFile = manifest.testFile, let entry = manifest.entryPoint else { return nil }
        let runner = sandbox.templates + "/gate/gate_tests.py"
        let started = try sandbox.start(
            workspace: workspace,
            command: ["python3", "-I", "-B", runner, "/workspace", sandbox.templates, entry, testFile],
            timeout: 90, scratch: scratch.output, label: "tests")
        return Prepared(started: started, testFile: testFile, nonce: makeNonce())
    }

    /// Calls a prepared run off: its stdin closes without a nonce, so it exits before running anything.
    static func cancel(_ p: Prepared?, sandbox: GateSandbox) async {
        // Calls the run off: its output is not wanted, and it is killed either way.
        if let p { _ = try? await sandbox.finish(p.started, stdin: nil) }
    }

    static func run(_ prepared: Prepared?, sandbox: GateSandbox) async throws(GateError) -> Result {
        guard let prepared else {
            return Result(
                tests: .fail("tests", .test, "manifest.json names no test_file or entry_point", seconds: 0),
                mutation: .skip("mutation", "not run: no tests"))
        }
        let out = try await sandbox.finish(prepared.started, stdin: Array((prepared.nonce + "\n").utf8))
        guard let json = resultLine(out.stdout, nonce: prepared.nonce) else {
            let why =
                out.timedOut ? "the tests did not finish within 90 s" : "the test runner gave no result (\(out.status))"
            let cat: FailureCategory = out.timedOut ? .timeout : .test
            return Result(
                tests: .fail("tests", cat, why + "\n" + String(out.stderr.suffix(2000)), seconds: out.seconds),
                mutation: .skip("mutation", "not run: the tests gave no result"))
        }
        return interpret(json, seconds: out.seconds, testFile: prepared.testFile)
    }

    static func interpret(_ json: JSONValue, seconds: Double, testFile: String) -> Result {
        let t = json["tests"] ?? [:]
        let m = json["mutation"] ?? [:]
        let total = t["run"]?.intValue ?? 0
        let passedCount = t["passed_count"]?.intValue ?? 0
        let testSeconds = t["seconds"]?.doubleValue ?? seconds
        let mutationSeconds = m["seconds"]?.doubleValue ?? 0
        var result = Result(
            tests: .skip("tests", ""), mutation: .skip("mutation", ""), testsPassed: passedCount, testsTotal: total)
        if t["passed"]?.boolValue == true {
            result.tests = .pass(
                "tests", "\(testFile): \(passedCount)/\(total) tests passed offline", seconds: testSeconds)
        } else {
            var lines = ["\(testFile): \(t["why"]?.stringValue ?? "the tests failed") (\(passedCount)/\(total) passed)"]
            lines += (t["problems"]?.arrayValue ?? []).compactMap(\.stringValue)
            if let o = t["output"]?.stringValue, !o.isEmpty, lines.count == 1 { lines.append(String(o.suffix(1500))) }
            let timedOut = (t["why"]?.stringValue ?? "").hasPrefix("timed out")
            result.tests = .fail(
                "tests", timedOut ? .timeout : .test, lines.joined(separator: "\n"), seconds: testSeconds)
            result.mutation = .skip("mutation", "not run: the module's own tests fail")
            return result
        }
        let made = m["made"]?.intValue ?? 0
        let killed = m["killed"]?.intValue ?? 0
        result.mutantsKilled = killed
        result.mutantsTotal = made
        let survivors = (m["survivors"]?.arrayValue ?? []).compactMap(\.stringValue)
        let all = (m["mutants"]?.arrayValue ?? []).compactMap(\.stringValue)
        let score = made == 0 ? 0 : Double(killed) / Double(made)
        let scoreText = "mutation score \(killed)/\(made) = \(Double(Int(score * 100)) / 100)"
        if let error = m["error"]?.stringValue {
            result.mutation = .fail("mutation", .mutation, error, seconds: mutationSeconds)
        } else if made < minimumMutants {
            result.mutation = .fail(
                "mutation", .mutation,
                "only \(made) mutant(s) could be made of the adapter (at least \(minimumMutants) needed): "
                    + "it has too little logic for the tests to prove anything\n" + all.joined(separator: "\n"),
                seconds: mutationSeconds)
        } else if score < minimumScore {
            result.mutation = .fail(
                "mutation", .mutation,
                "\(scoreText), below \(minimumScore): the tests pass with these changes to adapter.py\n"
                    + survivors.map { "survived: \($0)" }.joined(separator: "\n"),
                seconds: mutationSeconds)
        } else {
            let tail = survivors.isEmpty ? "" : "\n" + survivors.map { "survived: \($0)" }.joined(separator: "\n")
            result.mutation = .pass("mutation", scoreText + tail, seconds: mutationSeconds)
        }
        return result
    }

    /// The JSON after `nonce ` on the line that starts with it (the runner's own line).
    static func resultLine(_ stdout: [UInt8], nonce: String) -> JSONValue? {
        let prefix = Array((nonce + " ").utf8)
        for line in stdout.split(separator: UInt8(ascii: "\n")).reversed() where line.starts(with: prefix) {
            // Lines that are not a JSON object are skipped while looking for the result line.
            if let v = try? JSONValue(parsing: Array(line.dropFirst(prefix.count))), v.objectValue != nil { return v }
        }
        return nil
    }

    static func makeNonce() -> String {
        var g = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<32).map { _ in digits[Int(g.next() % 16)] })
    }
}
