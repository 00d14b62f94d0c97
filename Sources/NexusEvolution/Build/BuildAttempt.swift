/// What one attempt of a build did: which model wrote it, where its files are, how it failed (if it did)
/// and how much it changed from the attempt before. Kept for every attempt, shown in the proof and in
/// `nexus modules builds ID`, stored in the `builds` table.
public struct BuildAttempt: Sendable {
    public var number: Int
    public var stage: BuildStage
    public var model: String
    /// `$NEXUS_HOME/builds/<id>/attempt-N`, or nil when the reply was refused before writing.
    public var folder: String?
    /// A gate `FailureCategory` raw value, `output` for a refused reply, or nil when the attempt passed.
    public var failureCategory: String?
    /// The check that failed (`syntax`, `tests`...) or `reply`.
    public var failedCheck: String?
    /// The evidence of the failure, bounded.
    public var error: String?
    public var diffLines: Int
    public var report: GateReport?
    public var tokensIn: Int
    public var tokensOut: Int
    public var seconds: Double

    public var passed: Bool { failureCategory == nil && report?.passed == true }

    /// One line: `attempt 2 (repair, fake:fake-model): failed syntax — adapter.py:3 ...`.
    public var summary: String {
        let head = "attempt \(number) (\(stage.rawValue), \(model))"
        if passed { return head + ": passed the gate" + (number > 1 ? ", \(diffLines) lines changed" : "") }
        let first = (error ?? "").split(separator: "\n").first.map(String.init) ?? ""
        // A cut reason says it was cut; the whole one is in the build's record (`nexus modules builds ID`).
        let reason = first.count > 160 ? first.prefix(159) + "…" : first
        return head + ": failed \(failedCheck ?? "?") [\(failureCategory ?? "?")] — " + reason
    }
}
