import NexusCore

/// Why a manifest was refused: the file, the field path (`network.allow[0]`) and what is wrong with it.
///
/// Validation collects every problem so a person fixes them in one pass; the one-line message names
/// the first and counts the rest.
public struct ManifestError: UserFacingError, Equatable {
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
        public var description: String { field.isEmpty ? message : "\(field): \(message)" }
    }

    public var file: String
    public var issues: [Issue]

    public init(file: String, issues: [Issue]) {
        self.file = file
        self.issues = issues
    }

    public init(file: String, field: String, _ message: String) {
        self.init(file: file, issues: [Issue(field: field, message: message)])
    }

    public var userMessage: String {
        guard let first = issues.first else { return "\(file): invalid manifest" }
        let more = issues.count > 1 ? " (and \(issues.count - 1) more problem\(issues.count == 2 ? "" : "s"))" : ""
        return "\(file): \(first)\(more)"
    }

    /// Every problem, one per line, for `nexus modules info` and install reports.
    public var allLines: [String] { issues.map { "\(file): \($0)" } }

    public var hint: String? {
        let rest = issues.dropFirst().map { "\n    also \($0)" }.joined()
        return "fix manifest.json (its JSON Schema is docs/manifest.schema.json)" + rest
    }
    public var exitCode: ExitStatus { .usage }
}
