import NexusCore

/// The chat pane: the conversation as wrapped rows (what the person typed, the answer, tool calls, notices,
/// approvals, code blocks in fences), scrolled by PgUp/PgDn; its title says how many rows are below.
enum ChatPane {
    static func draw(_ g: inout CellGrid, _ state: inout UIState, _ r: Rect, focused: Bool) {
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
            let indent = row.range.lowerBound > 0 ? line.hang : 0
            g.put(
                line.chars[row.range], row: y, col: x + indent, style: style(for: block, line: row.line),
                limit: inner.maxX)
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
}
