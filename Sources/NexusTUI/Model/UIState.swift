import NexusCore
import NexusOrchestrator

/// Everything the screen shows, as plain values: the pane models, focus, overlays and the question
/// (approval or secret) the input line is answering.
///
/// Bus events and snapshots go in through `apply`/`update`; keys go in through `handle(_:)`
/// (UIState+Keys). The composer turns it into a frame. No I/O happens here.
public struct UIState: Sendable {
    public var chat = ChatModel()
    public var pipeline = PipelineModel()
    public var modules = ModuleHealthModel()
    public var costs = CostModel()
    public var input = InputLine()
    public var focus: Pane = .chat
    public var showHelp = false
    /// Providers, privacy and sandbox tier for the status line.
    public var providers: [StatusSnapshot.ProviderStatus] = []
    public var privacy: PrivacyMode = .open
    public var sandboxTier: String?
    /// Spending against the tightest cap of `[budget]` ("$0.12/$1.00 today"); nil with no cap.
    public var budget: String?
    /// A turn or command is running.
    public var busy = false
    public var busySinceNs: UInt64 = 0
    /// Lines sent while a turn ran, submitted one by one as turns end (Ctrl-C drops them).
    public var queued: [String] = []
    /// The approval the input line is answering (y / n / a).
    public var pendingApproval: ApprovalRequest?
    /// A built module's proof, shown over the panes while its approval is pending.
    public var proof: ProofOverlay?
    /// The secret the input line is reading, hidden.
    public var pendingSecret: SecretPrompt?
    var secret: [Character] = []
    /// A short message on the status line (e.g. "a turn is running").
    public var flash: String?
    /// Events the UI lost by falling behind.
    public var droppedEvents = 0
    public var isColorless = false
    var currentTurn = 0
    /// The size of the last frame composed, to map mouse clicks to panes.
    var screenSize = (width: 0, height: 0)

    public init() {}

    /// Folds one bus event into the panes.
    public mutating func apply(_ event: Event) {
        let kind = event.kind
        let turn = event.turnID
        pipeline.apply(kind)
        modules.apply(kind)
        costs.apply(kind)
        switch kind {
        case .turnStarted:
            currentTurn = turn
        case .token(let t):
            chat.appendToken(t, turn: turn)
        case .final(let text):
            if !chat.hasAssistantText(turn: turn), !text.isEmpty {
                chat.add(ChatBlock(kind: .assistant, turnID: turn, text: text))
            }
            chat.closeStreaming()
        case .toolCall(let call, let module):
            var args = call.arguments.compactDescription
            if args.count > 200 { args = String(args.prefix(199)) + "…" }
            let origin = module.map { " [\($0)]" } ?? ""
            chat.add(ChatBlock(kind: .tool, turnID: turn, text: "⚙ \(call.name)(\(args))\(origin)"))
        case .toolResult(let r, let ms):
            let first = r.content.split(separator: "\n").first.map(String.init) ?? ""
            let mark = r.isError ? "✗" : "↳"
            chat.add(
                ChatBlock(
                    kind: r.isError ? .error : .tool, turnID: turn,
                    text: "\(mark) \(r.name) \(Self.ms(ms)): \(DisplayWidth.truncate(first, to: 160))"))
        case .approvalRequired(let r):
            showApproval(r, turn: turn)
        case .approval(let id, let d):
            if !chat.hasApprovalAnswer(id: id) { chat.annotateApproval(id: id, "→ " + Self.describe(d)) }
        case .error(let m, let hint):
            chat.add(ChatBlock(kind: .error, turnID: turn, text: hint.map { "\(m)\nhint: \($0)" } ?? m))
        case .notice(let m):
            chat.add(ChatBlock(kind: .notice, turnID: turn, text: m))
        case .retry(let p, let a, let d, let reason):
            chat.add(ChatBlock(kind: .notice, turnID: turn, text: "retry \(p) #\(a) in \(d)s: \(reason)"))
        case .fallback(let from, let to, let reason):
            chat.add(ChatBlock(kind: .notice, turnID: turn, text: "fallback \(from) → \(to): \(reason)"))
        case .commandOutput(_, let text):
            chat.add(ChatBlock(kind: .command, turnID: turn, text: text))
        case .turnFinished:
            chat.closeStreaming()
        default:
            break
        }
    }

    /// Applies a status snapshot to the status line, module matrix and cost pane.
    public mutating func update(from s: StatusSnapshot) {
        providers = s.providers
        privacy = s.privacy
        sandboxTier = s.sandboxTier
        budget = s.budget
        modules.update(from: s)
        costs.update(from: s)
    }

    /// Values longer than this are shortened in the chat, saying how much was left out (`v` shows all).
    static let approvalShownCharacters = 400

    /// Puts an approval in the chat (once, whichever of the event or the handler comes first): its
    /// details (a long value shortened, with its length and the `v` key to see it whole) and what each
    /// "always" answer would cover.
    public mutating func showApproval(_ r: ApprovalRequest, turn: Int) {
        guard !chat.hasApproval(id: r.id) else { return }
        var lines = ["approval needed: \(r.title)"]
        lines += Self.detailLines(r, whole: false)
        lines.append("  a = always for \(r.alwaysScope)" + (r.alwaysToolScope.map { " · t = always for \($0)" } ?? ""))
        var b = ChatBlock(kind: .approval, turnID: turn, text: lines.joined(separator: "\n"))
        b.approvalID = r.id
        chat.add(b)
        chat.scrollToBottom()
    }

    /// The details of `r` whole, for the `v` key.
    mutating func showApprovalWhole(_ r: ApprovalRequest) {
        let text = (["\(r.title) (whole):"] + Self.detailLines(r, whole: true)).joined(separator: "\n")
        chat.add(ChatBlock(kind: .notice, turnID: currentTurn, text: text))
        chat.scrollToBottom()
    }

    static func detailLines(_ r: ApprovalRequest, whole: Bool) -> [String] {
        let labelWidth = min(18, r.details.map { DisplayWidth.of($0.label) }.max() ?? 0)
        return r.details.map { d in
            let value = whole ? d.value : ApprovalText.shortened(d.value, to: approvalShownCharacters, how: "press v")
            return "  " + DisplayWidth.pad(d.label, to: labelWidth) + "  " + value
        }
    }

    static func describe(_ d: ApprovalDecision, _ r: ApprovalRequest? = nil) -> String {
        switch d {
        case .yes: "approved"
        case .no: "denied"
        case .always: "approved for this session: \(r?.alwaysScope ?? "exactly this request")"
        case .alwaysTool: "approved for this session: \(r?.alwaysToolScope ?? "this tool, any arguments")"
        }
    }

    static func ms(_ v: Double) -> String {
        if v >= 10_000 { return "\(Int(v / 1000))s" }
        if v >= 1000 { return "\(Double(Int(v / 100)) / 10)s" }
        if v >= 10 { return "\(Int(v))ms" }
        if v < 0.1 { return "<0.1ms" }
        return "\(Double(Int(v * 10)) / 10)ms"
    }
}

extension JSONValue {
    /// Arguments shown on one line in the chat.
    var compactDescription: String {
        switch self {
        case .object(let o):
            return o.pairs.map { k, v in "\(k): \(v.compactDescription)" }.joined(separator: ", ")
        case .string(let s): return "\"\(s)\""
        default: return serialized
        }
    }
}
