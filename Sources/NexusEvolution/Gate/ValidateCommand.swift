import NexusCore

/// `nexus modules validate PATH [--json]`: the gate alone on any folder. Exit 0 when every check passes,
/// 1 when one fails, 2 when PATH is not a folder (one line, no report).
public enum ValidateCommand {
    public struct Outcome: Sendable {
        public var stdout: String
        public var stderr: String
        public var exit: ExitStatus
    }

    public static func run(path: String, json: Bool, gate: ModuleGate) async -> Outcome {
        do {
            let report = try await gate.run(folder: path)
            let text = json ? report.json().serialized + "\n" : report.render(folder: path)
            return Outcome(stdout: text, stderr: "", exit: report.passed ? .success : .failure)
        } catch {
            let hint = error.hint.map { "\n  hint: \($0)" } ?? ""
            return Outcome(stdout: "", stderr: "nexus: \(error.userMessage)\(hint)\n", exit: error.exitCode)
        }
    }
}
