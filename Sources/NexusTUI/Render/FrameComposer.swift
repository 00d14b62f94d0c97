import NexusCore

/// A composed frame: the cells and where the cursor goes.
public struct Frame: Sendable {
    public var grid: CellGrid
    /// Row and column of the input cursor; nil hides it.
    public var cursor: (row: Int, col: Int)?
}

/// Draws a `UIState` into an off-screen `CellGrid` for a terminal size. Pure: no curses, no I/O,
/// so layout, wrapping and every pane are testable and benchmarkable without a terminal.
public enum FrameComposer {
    public static func compose(_ state: inout UIState, width: Int, height: Int, nowNs: UInt64 = 0) -> Frame {
        var g = CellGrid(width: width, height: height)
        state.screenSize = (width, height)
        guard width > 0, height > 0 else { return Frame(grid: g, cursor: nil) }
        let layout = Layout.compute(width: width, height: height, focus: state.focus)
        let focusShown = !layout.isCompact
        for (pane, rect) in layout.panes {
            let focused = focusShown ? state.focus == pane : false
            switch pane {
            case .chat: drawChat(&g, &state, rect, focused: focused)
            case .pipeline: drawPipeline(&g, state.pipeline, rect, focused: focused)
            case .modules: drawModules(&g, state.modules, rect, focused: focused)
            case .costs: drawCosts(&g, state.costs, rect, focused: focused)
            }
        }
        if let strip = layout.strip { drawStrip(&g, state.pipeline, strip) }
        var cursor: (Int, Int)? = nil
        if layout.input.height > 0 { cursor = drawInput(&g, state, layout.input) }
        drawStatus(&g, state, layout.status, compact: layout.isCompact, nowNs: nowNs)
        if !state.input.candidates.isEmpty { drawCandidates(&g, state.input, above: layout.input.y) }
        if let p = state.proof, p.approvalID == state.pendingApproval?.id {
            drawProof(&g, p)
            cursor = nil
        }
        if state.showHelp {
            drawHelp(&g)
            cursor = nil
        }
        return Frame(grid: g, cursor: cursor)
    }

    // MARK: chat

    static func drawChat(_ g: inout CellGrid, _ state: inout UIState, _ r: Rect, focused: Bool) {
        guard r.width >= 4, r.height >= 3 else { return }
        let inner = r.inset
        let rows = state.chat.visibleRows(width: inner.width - 1, height: inner.height)
        var title = "chat"
        if state.chat.rowsBelow > 0 { title += " · ↓\(state.chat.rowsBelow) more (PgDn)" }
        g.box(r, title: title, focused: focused)
        for (i, row) in rows.enumerated() where row.block >= 0 {
            let y = inner.y + i
            let block = state.chat.blocks[row.block]
            let line = block.lines[row.line]
            let x = inner.x + 1
            if line.isFence {
                let label = line.isCode ? "└──" : "┌── " + line.fenceLabel
                g.put(label, row: y, col: x, style: .codeFence, limit: inner.maxX)
                continue
            }
            if line.isCode {
                g.put("│ ", row: y, col: x, style: .codeFence, limit: inner.maxX)
                g.put(line.chars[row.range], row: y, col: x + 2, style: .code, limit: inner.maxX)
                continue
            }
            g.put(line.chars[row.range], row: y, col: x, style: style(for: block, line: row.line), limit: inner.maxX)
        }
    }

    static func style(for block: ChatBlock, line: Int) -> Style {
        switch block.kind {
        case .user: return .user
        case .assistant: return .assistant
        case .command: return .normal
        case .notice: return .notice
        case .error: return .error
        case .tool: return .tool
        case .approval:
            if line == 0 { return .approval }
            return block.lines[line].chars.first == "→" ? .approvalKey : .normal
        }
    }

    // MARK: input and status

    static func drawInput(_ g: inout CellGrid, _ state: UIState, _ r: Rect) -> (Int, Int) {
        g.fill(r, style: .input)
        var prompt = "› "
        var promptStyle: Style = .inputPrompt
        if let a = state.pendingApproval {
            let title = a.title.hasSuffix("?") ? String(a.title.dropLast()) : a.title
            let choices = a.tool == nil ? "[y]es [n]o [a]lways [v]iew" : "[y]es [n]o [a]lways [t]ool [v]iew"
            prompt = "approve \(DisplayWidth.truncate(title, to: max(8, r.width / 3)))? \(choices) › "
            promptStyle = .approval
        } else if let s = state.pendingSecret {
            prompt = "\(s.name) for \(s.module) (hidden, Enter to save, Esc to skip): "
            promptStyle = .approval
        } else if state.busy {
            prompt = "… "
        }
        let x = g.put(prompt, row: r.y, col: r.x, style: promptStyle, limit: r.maxX)
        if state.pendingApproval != nil || state.pendingSecret != nil { return (r.y, min(x, r.maxX - 1)) }
        let view = state.input.viewport(width: max(1, r.maxX - x - 1))
        g.put(view.text, row: r.y, col: x, style: .input, limit: r.maxX)
        return (r.y, min(r.maxX - 1, x + view.cursorColumn))
    }

    static func drawStatus(_ g: inout CellGrid, _ state: UIState, _ r: Rect, compact: Bool, nowNs: UInt64) {
        g.fill(r, style: .status)
        var x = r.x
        func seg(_ s: String, _ st: Style) { x = g.put(s, row: r.y, col: x, style: st, limit: r.maxX) }
        seg(" nexus ", .status)
        if state.providers.isEmpty { seg("│ no providers ", .statusWarn) }
        for p in state.providers {
            seg("│ ", .status)
            switch p.reachable {
            case .some(true): seg("● ", .statusGood)
            case .some(false): seg("✗ ", .statusBad)
            case .none: seg("○ ", .status)
            }
            seg(p.name + " ", .status)
        }
        seg("│ privacy: \(state.privacy.rawValue) ", state.privacy == .localOnly ? .statusGood : .status)
        seg("│ sandbox: \(state.sandboxTier ?? "?") ", .status)
        if state.busy {
            let secs = nowNs > state.busySinceNs ? Double(nowNs - state.busySinceNs) / 1e9 : 0
            seg("│ ◌ running \(Double(Int(secs * 10)) / 10)s ", .statusWarn)
        }
        if state.droppedEvents > 0 { seg("│ \(state.droppedEvents) events dropped ", .statusWarn) }
        if let f = state.flash {
            seg("│ \(f) ", .statusWarn)
        }
        let hint = compact ? "Tab/F6 \(state.focus.title) · ? keys " : "F6 focus · ? keys "
        let hx = r.maxX - DisplayWidth.of(hint)
        if hx > x { g.put(hint, row: r.y, col: hx, style: .status, limit: r.maxX) }
    }

    static func drawCandidates(_ g: inout CellGrid, _ input: InputLine, above y: Int) {
        let shown = Array(input.candidates.prefix(min(8, max(0, y))))
        guard !shown.isEmpty else { return }
        let nameW = min(24, shown.map { DisplayWidth.of($0.text) }.max() ?? 0)
        let w = min(g.width - 2, max(20, nameW + 2 + (shown.map { DisplayWidth.of($0.summary) }.max() ?? 0) + 2))
        for (i, c) in shown.enumerated() {
            let row = y - shown.count + i
            let selected = input.candidateIndex == i
            let r = Rect(x: 1, y: row, width: w, height: 1)
            g.fill(r, style: selected ? .selection : .overlay)
            let text = " " + DisplayWidth.pad(c.text, to: nameW) + "  " + c.summary
            g.put(text, row: row, col: 1, style: selected ? .selection : .overlay, limit: r.maxX)
        }
    }

    static let helpLines: [(String, String)] = [
        ("Enter", "send the line (a chat turn or a /command)"),
        ("Tab", "complete a /command; on an empty line, next pane"),
        ("F6 / Shift-Tab", "cycle pane focus (or click a pane)"),
        ("PgUp / PgDn / wheel", "scroll the chat"),
        ("↑ / ↓", "input history"),
        ("Ctrl-A/E/K/U/W", "line editing"),
        ("Ctrl-C", "cancel the running turn"),
        ("Ctrl-D, /quit", "exit"),
        ("y / n / a / t / v", "approval: a = always, these arguments; t = always, this tool; v = view"),
        ("v / d", "with a build's proof: view a file, the diff"),
        ("? or F1", "this list (any key closes it)"),
    ]

    static func drawHelp(_ g: inout CellGrid) {
        let keyW = helpLines.map { DisplayWidth.of($0.0) }.max() ?? 0
        let textW = helpLines.map { DisplayWidth.of($0.1) }.max() ?? 0
        let w = min(g.width, keyW + textW + 6)
        let h = min(g.height, helpLines.count + 2)
        let r = Rect(x: max(0, (g.width - w) / 2), y: max(0, (g.height - h) / 2), width: w, height: h)
        g.fill(r, style: .overlay)
        g.box(r, title: "keys", focused: true)
        for (i, (k, t)) in helpLines.enumerated() where i + 1 < h - 1 {
            let y = r.y + 1 + i
            let x = g.put(DisplayWidth.pad(k, to: keyW), row: y, col: r.x + 2, style: .overlayKey, limit: r.maxX - 1)
            g.put("  " + t, row: y, col: x, style: .overlay, limit: r.maxX - 1)
        }
    }
}
