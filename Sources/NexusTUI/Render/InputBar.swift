import NexusCore

/// The input row under the panes: the prompt and the line being typed — or, while an approval or a hidden
/// credential is pending, the question and its keys. Returns where the cursor goes.
enum InputBar {
    static func draw(_ g: inout CellGrid, _ state: UIState, _ r: Rect) -> (Int, Int) {
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
}
