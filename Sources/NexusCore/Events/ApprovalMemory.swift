/// The "always" answers of one session, each covering exactly the scope the person was shown.
///
/// Answering "always" to one sensitive call used to approve every later call of that tool whatever its
/// arguments, because the answer was remembered by tool name (or by the prompt's title). Now `always`
/// covers requests identical in kind, title and every detail (the arguments among them), and only the
/// separate `alwaysTool` answer covers the tool with any arguments.
public struct ApprovalMemory: Sendable {
    private var exact: Set<String> = []
    private var tools: Set<String> = []

    public init() {}

    /// Whether an earlier answer already approves `request`.
    public func covers(_ request: ApprovalRequest) -> Bool {
        if let tool = request.tool, tools.contains(Self.toolKey(request.kind, tool)) { return true }
        return exact.contains(Self.exactKey(request))
    }

    /// Remembers an `always` or `alwaysTool` answer (others are not remembered). `alwaysTool` for a
    /// request without a tool counts as `always`.
    public mutating func remember(_ decision: ApprovalDecision, for request: ApprovalRequest) {
        switch decision {
        case .always: exact.insert(Self.exactKey(request))
        case .alwaysTool:
            if let tool = request.tool {
                tools.insert(Self.toolKey(request.kind, tool))
            } else {
                exact.insert(Self.exactKey(request))
            }
        case .yes, .no: break
        }
    }

    /// Everything shown but the id (which is new for every request).
    static func exactKey(_ r: ApprovalRequest) -> String {
        var key = r.kind.rawValue + "\u{0}" + r.title + "\u{0}" + (r.tool ?? "")
        for d in r.details { key += "\u{0}" + d.label + "\u{1}" + d.value }
        return key
    }

    static func toolKey(_ kind: ApprovalRequest.Kind, _ tool: String) -> String { kind.rawValue + "\u{0}" + tool }
}

extension ApprovalRequest {
    /// The words for what `always` covers: "git_commit with exactly these arguments".
    public var alwaysScope: String {
        guard let tool else { return "exactly this request" }
        return "\(tool) with exactly these arguments"
    }

    /// The words for what `alwaysTool` covers, or nil when that choice is not offered.
    public var alwaysToolScope: String? { tool.map { "\($0), any arguments" } }
}
