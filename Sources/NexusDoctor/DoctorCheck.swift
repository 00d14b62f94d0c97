import NexusCore

/// `nexus doctor`: one line per check — ok, warn or fail — each with the fix when there is one.
/// Checks are plain values so the CLI, `/doctor` and tests read the same results.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable { case ok, warn, fail }
    public var status: Status
    public var name: String
    public var detail: String
    public var fix: String?

    public init(_ status: Status, _ name: String, _ detail: String, fix: String? = nil) {
        self.status = status
        self.name = name
        self.detail = detail
        self.fix = fix
    }

    public var line: String {
        let tag = "[\(status.rawValue)]".padded(to: 6)
        return "\(tag) \(name.padded(to: 12)) \(detail)" + (fix.map { "\n              fix: \($0)" } ?? "")
    }
}
