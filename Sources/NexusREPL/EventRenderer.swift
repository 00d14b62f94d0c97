import NexusCore

/// Turns bus events into what line mode prints.
///
/// Text mode: the answer streams to stdout as tokens arrive; tool activity, notices and errors go to
/// stderr, so `nexus -p ... > answer.txt` captures only the answer. JSON mode: every event is one
/// JSON line on stdout, `"type"` first (DESIGN §4.1). Text from models and servers is written as it came;
/// the sinks make it safe for a terminal, and colour is asked of them (`paint`), never spliced into it.
public struct EventRenderer: Sendable {
    public enum Style: Sendable { case text, json }
    let style: Style
    let out: OutputSink
    let err: OutputSink
    let color: Bool

    public init(style: Style, out: OutputSink = .stdout, err: OutputSink = .stderr, color: Bool) {
        self.style = style
        self.out = out
        self.err = err
        self.color = color
    }

    /// Renders one event; returns true when it ends a submission (`turn_finished`).
    public func render(_ e: Event, state: inout RenderState) -> Bool {
        if style == .json {
            out.write(e.json.serialized + "\n")
            if case .turnFinished = e.kind { return true }
            return false
        }
        switch e.kind {
        case .token(let t):
            out.write(t)
            state.openLine = !t.hasSuffix("\n")
            state.streamedText = true
        case .final(let text):
            if !state.streamedText, !text.isEmpty {
                out.write(text)
                state.openLine = !text.hasSuffix("\n")
            }
            if state.openLine { out.write("\n") }
            state.openLine = false
        case .toolCall(let c, _):
            breakLine(&state)
            err.write("  → \(Self.shortName(c.name))(\(Self.shortArgs(c.arguments)))\n", style: paint(.dim))
        case .toolResult(let r, let ms):
            let head = r.content.prefix(160).replacingNewlines
            err.write(
                "  ← \(Self.shortName(r.name))\(r.isError ? " error" : ""): \(head)\(r.content.count > 160 ? "…" : "") "
                    + "(\(Int(ms)) ms)\n",
                style: paint(.dim))
            state.streamedText = false
        case .retry(let p, let attempt, let delay, let reason):
            breakLine(&state)
            // `attempt` is the one about to be made: the first retry is attempt 2.
            err.write(
                "  \(p): \(reason); trying again in \(Self.seconds(delay)) (attempt \(attempt))\n", style: paint(.dim))
        case .fallback(let from, let to, let reason):
            breakLine(&state)
            err.write("  \(from) \(reason); falling back to \(to)\n", style: paint(.yellow))
        case .notice(let m):
            breakLine(&state)
            err.write("  \(m)\n", style: paint(.dim))
        case .error(let m, let hint):
            breakLine(&state)
            err.write("error: ", style: paint(.red))
            err.write(m + "\n")
            if let hint { err.write("  hint: \(hint)\n", style: paint(.dim)) }
        case .commandOutput(_, let text):
            breakLine(&state)
            out.write(text.hasSuffix("\n") ? text : text + "\n")
        case .approvalRequired:
            // Shown by LineInteraction, in order with its question; the event may arrive after it.
            breakLine(&state)
        case .turnStarted:
            state = RenderState()
        case .turnFinished:
            breakLine(&state)
            return true
        default:
            break
        }
        return false
    }

    func breakLine(_ state: inout RenderState) {
        if state.openLine {
            out.write("\n")
            state.openLine = false
        }
    }

    /// A tool name as the model wrote it, at most 64 characters on screen (a model may send 200,000).
    static func shortName(_ name: String) -> String { name.cut(to: 64) }

    static func shortArgs(_ v: JSONValue) -> String {
        let s = v.serialized
        return s.count > 120 ? String(s.prefix(119)) + "…" : s
    }

    static func seconds(_ d: Double) -> String {
        d < 1 ? "\(Int(max(0, d) * 1000)) ms" : Seconds.describe(d.rounded())
    }

    /// `style` when colour is on. The sink adds the escape codes, after making the text itself safe.
    func paint(_ style: OutputSink.Style) -> OutputSink.Style? { color ? style : nil }
}

/// What the text renderer remembers within a turn: whether the cursor sits mid-line.
public struct RenderState: Sendable {
    var openLine = false
    var streamedText = false
    public init() {}
}

extension Substring {
    var replacingNewlines: String { String(self.map { $0 == "\n" ? " " : $0 }) }
}
