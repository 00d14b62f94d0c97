import NexusCore

/// Generate → validate → repair, until the gate passes or the repairs run out (DESIGN "Build protocol").
///
/// Each attempt is one model call; its reply is parsed strictly-but-leniently, written to
/// `attempt-N/` and put through the gate. A refused reply or a failed check is an attempt failure: it is
/// kept, shown, and sent back with the current files on the next (repair) call. Provider errors, the gate
/// being unavailable, and cancellation end the build at once; nothing here installs anything.
public struct BuildLoop: Sendable {
    public var model: any BuildModel
    public var gate: @Sendable (String) async throws -> GateReport
    public var workspace: BuildWorkspace
    public var template: BuildTemplate
    public var maxRepairs: Int
    public var stages: PipelineNodeTimer

    public init(
        model: any BuildModel, gate: @escaping @Sendable (String) async throws -> GateReport, workspace: BuildWorkspace,
        template: BuildTemplate, maxRepairs: Int, stages: PipelineNodeTimer
    ) {
        self.model = model
        self.gate = gate
        self.workspace = workspace
        self.template = template
        self.maxRepairs = maxRepairs
        self.stages = stages
    }

    /// The attempts made, and the files of the one that passed (nil when none did).
    public struct Result: Sendable {
        public var attempts: [BuildAttempt]
        public var files: BuildFileSet?
        public var passed: BuildAttempt? { attempts.last.flatMap { $0.passed ? $0 : nil } }
    }

    /// Runs the attempts. `onAttempt` sees each one as it ends (the orchestrator records it).
    public func run(
        description: String, name: String?, docs: String?, onAttempt: @Sendable (BuildAttempt) -> Void = { _ in }
    ) async throws -> Result {
        var attempts: [BuildAttempt] = []
        var current: BuildFileSet?
        var failure: (category: String, check: String, evidence: String)?
        for n in 1...(1 + max(0, maxRepairs)) {
            try Task.checkCancellation()
            let stage: BuildStage = n == 1 ? .generate : .repair
            let started = MonotonicClock.nanoseconds()
            let prompt =
                failure.map {
                    BuildPrompt.repair(
                        description: description, category: $0.category, check: $0.check, evidence: $0.evidence,
                        current: current)
                } ?? BuildPrompt.generation(description: description, name: name, template: template, docs: docs)
            let node: PipelineNode = stage == .generate ? .generate : .repair
            let reply = try await stages.run(node, detail: { _ in stage == .repair ? "\(n - 1)/\(maxRepairs)" : nil }) {
                try await model.complete(stage: stage, system: BuildPrompt.system(), prompt: prompt)
            }
            var attempt = BuildAttempt(
                number: n, stage: stage, model: reply.model, diffLines: 0, tokensIn: reply.tokensIn,
                tokensOut: reply.tokensOut, seconds: 0)
            let files: BuildFileSet
            do throws(BuildReplyError) {
                if reply.truncated { throw BuildReplyError.tooLarge(bytes: reply.bytes) }
                files = try BuildReplyParser.parse(reply.text)
            } catch {
                try workspace.keepRefusedReply(attempt: n, text: reply.text)
                attempt.failureCategory = "output"
                attempt.failedCheck = "reply"
                attempt.error = error.userMessage
                attempt.seconds = MonotonicClock.secondsSince(started)
                failure = ("output", "reply", error.userMessage + "\n" + (error.hint ?? ""))
                attempts.append(attempt)
                onAttempt(attempt)
                stages.notice(attempt.summary)
                continue
            }
            if let name, let problem = Self.nameProblem(files, expected: name) {
                try workspace.keepRefusedReply(attempt: n, text: reply.text)
                attempt.failureCategory = FailureCategory.manifest.rawValue
                attempt.failedCheck = "name"
                attempt.error = problem
                attempt.seconds = MonotonicClock.secondsSince(started)
                failure = (FailureCategory.manifest.rawValue, "name", problem)
                current = files
                attempts.append(attempt)
                onAttempt(attempt)
                stages.notice(attempt.summary)
                continue
            }
            let diff = FileSetDiff(from: current?.files ?? [], to: files.files)
            attempt.diffLines = diff.changedLines
            let folder = try workspace.write(attempt: n, files: files, diff: n > 1 ? diff : nil)
            attempt.folder = folder
            let report = try await stages.run(.validate, detail: { (r: GateReport) in Self.verdict(r) }) {
                try await gate(folder)
            }
            attempt.report = report
            attempt.seconds = MonotonicClock.secondsSince(started)
            current = files
            if let bad = report.firstFailure {
                let category = bad.category?.rawValue ?? "test"
                attempt.failureCategory = category
                attempt.failedCheck = bad.name
                attempt.error = bad.evidence
                failure = (category, bad.name, bad.evidence)
            }
            attempts.append(attempt)
            onAttempt(attempt)
            stages.notice(attempt.summary)
            if attempt.passed { return Result(attempts: attempts, files: files) }
        }
        return Result(attempts: attempts, files: nil)
    }

    /// Why the set's manifest does not carry the name the user asked for (`--name`), or nil.
    static func nameProblem(_ files: BuildFileSet, expected: String) -> String? {
        // A missing manifest is the gate's to report.
        guard let text = files.file("manifest.json")?.content else { return nil }
        // Only a name to check against: a reply that is not JSON has none.
        let found = (try? JSONValue(parsing: text))?["name"]?.stringValue
        if found == expected { return nil }
        return "manifest.json: \"name\" is \(found.map { JSONValue.string($0).serialized } ?? "missing"); "
            + "the user asked for the module to be named \(expected)"
    }

    static func verdict(_ r: GateReport) -> String {
        if r.passed { return "passed \(r.checks.filter(\.passed).count) checks" }
        return "failed " + (r.firstFailure?.name ?? "?")
    }
}

extension MonotonicClock {
    static func secondsSince(_ start: UInt64) -> Double { MonotonicClock.millisSince(start) / 1000 }
}
