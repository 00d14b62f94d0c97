import NexusCore
import NexusStore

/// The text of `nexus modules builds [ID]` and `/builds [ID]`: past builds with request, outcome, attempts,
/// time and cost, or one build in full with each attempt's model, failure and check timings.
public enum BuildHistoryText {
    public static func list(_ repo: BuildRepository, limit: Int = 30) throws -> String {
        let builds = try repo.list(limit: limit)
        if builds.isEmpty { return "no builds yet (build one with: nexus build \"DESCRIPTION\")" }
        var lines = ["ID        OUTCOME    MODULE          ATTEMPTS  TIME     COST      REQUEST"]
        for b in builds {
            lines.append(
                [
                    pad(b.id, 9), pad(b.outcome, 10), pad(b.module ?? "-", 15), pad("\(b.attemptCount)", 9),
                    pad(b.seconds.map(seconds) ?? "-", 8), pad(Money.dollars(b.costUSD, decimals: 4), 9),
                    request(b.request.replacingNewlines),
                ].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// The list's REQUEST column: 60 characters at most, a cut one ending in "…" (`modules builds ID` has it whole).
    static func request(_ text: String) -> String { text.count > 60 ? text.prefix(59) + "…" : text }

    public static func show(_ repo: BuildRepository, id: String) throws -> String {
        guard let (b, attempts) = try repo.get(id) else {
            throw NexusError("no build \(id)", hint: "list builds with: nexus modules builds", exit: .usage)
        }
        var lines = [
            "build: \(b.id)", "request: \(b.request)", "outcome: \(b.outcome)", "module: \(b.module ?? "-")",
            "template version: \(b.templateVersion)", "files: \(b.folder)",
            "time: \(b.seconds.map(seconds) ?? "running")",
            "tokens: \(b.tokensIn) in, \(b.tokensOut) out; cost \(Money.dollars(b.costUSD, decimals: 4))",
        ]
        if let n = b.requestedName { lines.append("requested name: \(n)") }
        if let s = b.sha256 { lines.append("sha256: \(s)") }
        if let e = b.lastError { lines.append("last error: \(e.split(separator: "\n").first ?? "")") }
        lines.append(attempts.isEmpty ? "attempts: " + noAttempts(b) : "attempts:")
        for a in attempts {
            let verdict = a.passed ? "passed" : "failed \(a.failedCheck ?? "?") [\(a.failureCategory ?? "?")]"
            lines.append(
                "  \(a.number). \(a.stage) with \(a.provider):\(a.model): \(verdict), \(a.diffLines) lines changed, "
                    + "\(a.tokensIn)+\(a.tokensOut) tokens, \(seconds(a.seconds))")
            let timings = (a.checkTimings.arrayValue ?? []).compactMap { c -> String? in
                guard let n = c["name"]?.stringValue else { return nil }
                return "\(n) \(c["result"]?.stringValue ?? "?") \(seconds(c["seconds"]?.doubleValue ?? 0))"
            }
            if !timings.isEmpty { lines.append("     checks: " + timings.joined(separator: ", ")) }
            if let e = a.error, !a.passed {
                for l in e.split(separator: "\n").prefix(20) { lines.append("     " + String(l.prefix(240))) }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Why a build has no attempt: it is still planning, or it stopped before its first model call (no model
    /// for `code_generation`, a spec or template error), which its last error says.
    static func noAttempts(_ b: BuildRepository.Build) -> String {
        if b.seconds == nil { return "none yet" }
        return "none: it stopped before its first model call, so nothing was generated or installed"
            + (b.lastError == nil ? "" : " (the last error above says why)")
    }

    static func pad(_ s: String, _ w: Int) -> String { s.padded(to: w) }

    static func seconds(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : "\((s * 10).rounded() / 10) s"
    }
}

extension String {
    fileprivate var replacingNewlines: String { String(map { $0 == "\n" ? " " : $0 }) }
}
