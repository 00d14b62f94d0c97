import NexusCore

/// The proof of a built module over the chat while its install approval is pending (issue 14): the
/// summary (files, checks, tests, mutation score, hosts, credentials, sha256, models, cost), one file at a
/// time (`v`, scrolling), or the diff (`d`); `y`/`n` answer the approval underneath.
public struct ProofOverlay: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        case summary
        case file(Int)
        case diff
    }

    public var approvalID: String
    public var title: String
    public var summary: [String]
    public var files: [(path: String, content: String)]
    public var diff: String
    public var mode: Mode = .summary
    public var scroll = 0

    public init(request: ApprovalRequest, files: [(path: String, content: String)], diff: String) {
        approvalID = request.id
        title = request.title
        let w = min(20, request.details.map { DisplayWidth.of($0.label) }.max() ?? 0)
        summary = request.details.map { DisplayWidth.pad($0.label, to: w) + "  " + $0.value }
        self.files = files
        self.diff = diff
    }

    public static func == (a: ProofOverlay, b: ProofOverlay) -> Bool {
        a.approvalID == b.approvalID && a.mode == b.mode && a.scroll == b.scroll
            && a.files.map(\.path) == b.files.map(\.path)
    }

    /// The heading of what is shown.
    public var heading: String {
        switch mode {
        case .summary: return "proof · " + title
        case .file(let i): return "file \(files[i].path) (\(i + 1)/\(files.count))"
        case .diff: return "diff"
        }
    }

    /// The lines of what is shown, before scrolling.
    public var lines: [String] {
        switch mode {
        case .summary: return summary
        case .file(let i):
            return files[i].content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        case .diff: return diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    public static let footer = "v file · d diff · ↑↓ PgUp PgDn scroll · Esc summary · y approve · n deny"

    /// A viewing key; false when the key is not one of them (y/n go to the approval).
    public mutating func handle(_ key: Key, pageRows: Int) -> Bool {
        switch key {
        case .char("v"), .char("V"):
            guard !files.isEmpty else { return true }
            if case .file(let i) = mode { mode = .file((i + 1) % files.count) } else { mode = .file(0) }
            scroll = 0
        case .char("d"), .char("D"):
            mode = .diff
            scroll = 0
        case .escape, .char("s"):
            mode = .summary
            scroll = 0
        case .down, .wheelDown: scroll += 1
        case .up, .wheelUp: scroll -= 1
        case .pageDown, .char(" "): scroll += max(1, pageRows - 1)
        case .pageUp: scroll -= max(1, pageRows - 1)
        case .home: scroll = 0
        case .end: scroll = lines.count
        default: return false
        }
        scroll = max(0, min(scroll, max(0, lines.count - pageRows)))
        return true
    }
}
