import NexusCore

/// Everything a person sees before approving a built module (issue 14 "Proof before approval"): the
/// files with sizes, each gate check with its result and time, tests and mutation score, the hosts and
/// credentials, the sha256 the install pins, the model per stage, the attempts, the tokens and cost of the
/// build, and for an upgrade the diff against the installed version.
public struct BuildProof: Sendable {
    public var buildID: String
    public var module: String
    public var version: String
    public var files: [(path: String, bytes: Int)]
    public var checks: [GateCheck]
    public var testsPassed: Int
    public var testsTotal: Int
    public var mutantsKilled: Int
    public var mutantsTotal: Int
    public var hosts: [String]
    public var credentials: [String]
    public var sha256: String
    public var models: [(stage: String, model: String)]
    public var attempts: [BuildAttempt]
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double
    /// Against the installed version, for an upgrade.
    public var upgradeDiff: FileSetDiff?
    public var templateVersion: String
    public var folder: String

    public init(
        buildID: String, module: String, version: String, files: BuildFileSet, report: GateReport, hosts: [String],
        credentials: [String], sha256: String, attempts: [BuildAttempt], tokensIn: Int, tokensOut: Int,
        costUSD: Double, upgradeDiff: FileSetDiff?, templateVersion: String, folder: String
    ) {
        self.buildID = buildID
        self.module = module
        self.version = version
        self.files = files.files.map { ($0.path, $0.content.utf8.count) }
        self.checks = report.checks
        self.testsPassed = report.testsPassed
        self.testsTotal = report.testsTotal
        self.mutantsKilled = report.mutantsKilled
        self.mutantsTotal = report.mutantsTotal
        self.hosts = hosts
        self.credentials = credentials
        self.sha256 = sha256
        var models: [(String, String)] = []
        for a in attempts where !models.contains(where: { $0.0 == a.stage.rawValue && $0.1 == a.model }) {
            models.append((a.stage.rawValue, a.model))
        }
        self.models = models
        self.attempts = attempts
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.costUSD = costUSD
        self.upgradeDiff = upgradeDiff
        self.templateVersion = templateVersion
        self.folder = folder
    }

    public var mutationScore: Double? { mutantsTotal > 0 ? Double(mutantsKilled) / Double(mutantsTotal) : nil }

    static func result(_ c: GateCheck) -> String { c.skipped ? "skipped" : c.passed ? "pass" : "FAIL" }

    static func seconds(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : "\((s * 100).rounded() / 100) s"
    }

    /// Label/value lines for the approval prompt (line mode prints them; `details` in `--json`).
    public var details: [ApprovalRequest.Detail] {
        var d: [ApprovalRequest.Detail] = [.init("build", "\(buildID) (template \(templateVersion)) at \(folder)")]
        for f in files { d.append(.init("file \(f.path)", "\(f.bytes) bytes")) }
        for c in checks {
            let first = c.evidence.split(separator: "\n").first.map { " — " + $0.prefix(100) } ?? ""
            d.append(
                .init("check \(c.name)", "\(Self.result(c)) in \(Self.seconds(c.seconds))" + (c.passed ? "" : first)))
        }
        d.append(.init("tests", "\(testsPassed)/\(testsTotal) passed"))
        d.append(
            .init(
                "mutation score",
                mutationScore.map { "\(Int(($0 * 100).rounded()))% (\(mutantsKilled)/\(mutantsTotal) mutants killed)" }
                    ?? "no mutants made"))
        d.append(.init("may reach", hosts.isEmpty ? "no host" : hosts.joined(separator: ", ")))
        d.append(.init("asks for", credentials.isEmpty ? "no credential" : credentials.joined(separator: ", ")))
        for m in models { d.append(.init("model (\(m.stage))", m.model)) }
        d.append(
            .init(
                "attempts",
                "\(attempts.count): "
                    + attempts.map { $0.passed ? "pass" : ($0.failureCategory ?? "?") }.joined(separator: ", ")))
        d.append(.init("build cost", "\(tokensIn) tokens in, \(tokensOut) out, \(Money.dollars(costUSD, decimals: 4))"))
        if let u = upgradeDiff { d.append(.init("diff vs installed", "\(u.changedLines) lines changed")) }
        return d
    }

    /// The `proof` object of `approval_required` in `--json`.
    public var json: JSONValue {
        var o = JSONObject()
        o["build_id"] = .string(buildID)
        o["module"] = .string(module)
        o["version"] = .string(version)
        o["template_version"] = .string(templateVersion)
        o["folder"] = .string(folder)
        o["files"] = .array(
            files.map { .object(JSONObject([("path", .string($0.path)), ("bytes", .number(Double($0.bytes)))])) })
        o["checks"] = .array(
            checks.map {
                .object(
                    JSONObject([
                        ("name", .string($0.name)), ("result", .string(Self.result($0))),
                        ("seconds", .number($0.seconds)),
                        ("evidence", .string(String($0.evidence.prefix(2000)))),
                    ]))
            })
        o["tests"] = .object(
            JSONObject([("passed", .number(Double(testsPassed))), ("total", .number(Double(testsTotal)))]))
        o["mutation"] = .object(
            JSONObject([
                ("killed", .number(Double(mutantsKilled))), ("total", .number(Double(mutantsTotal))),
                ("score", mutationScore.map { .number($0) } ?? .null),
            ]))
        o["hosts"] = .array(hosts.map { .string($0) })
        o["credentials"] = .array(credentials.map { .string($0) })
        o["sha256"] = .string(sha256)
        o["models"] = .array(
            models.map { .object(JSONObject([("stage", .string($0.stage)), ("model", .string($0.model))])) })
        o["attempts"] = .array(attempts.map(\.json))
        o["tokens_in"] = .number(Double(tokensIn))
        o["tokens_out"] = .number(Double(tokensOut))
        o["cost_usd"] = .number(costUSD)
        o["upgrade_diff"] = upgradeDiff.map { .string($0.text) } ?? .null
        return .object(o)
    }
}

extension BuildAttempt {
    public var json: JSONValue {
        .object(
            JSONObject([
                ("number", .number(Double(number))), ("stage", .string(stage.rawValue)), ("model", .string(model)),
                ("passed", .bool(passed)), ("failure_category", failureCategory.map { .string($0) } ?? .null),
                ("failed_check", failedCheck.map { .string($0) } ?? .null),
                ("error", error.map { .string(String($0.prefix(2000))) } ?? .null),
                ("diff_lines", .number(Double(diffLines))), ("folder", folder.map { .string($0) } ?? .null),
                ("tokens_in", .number(Double(tokensIn))), ("tokens_out", .number(Double(tokensOut))),
                ("seconds", .number(seconds)),
            ]))
    }
}
