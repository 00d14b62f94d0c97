/// The panes a person can focus, in the order the focus key cycles through them.
public enum Pane: String, CaseIterable, Sendable {
    case chat, pipeline, modules, costs

    public var title: String {
        switch self {
        case .chat: "chat"
        case .pipeline: "pipeline"
        case .modules: "modules"
        case .costs: "tokens & cost"
        }
    }

    public var next: Pane {
        let all = Pane.allCases
        let i = all.firstIndex(of: self) ?? 0
        return all[(i + 1) % all.count]
    }
}

/// Where each pane goes for a terminal size.
///
/// At 100 columns and more the chat pane sits left and the pipeline graph, module health and costs
/// stack on the right. Below that (80x24 included) one pane fills the main area — the focused one,
/// chat by default — under a one-row pipeline strip, so nothing becomes unreadably narrow.
public struct Layout: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var isCompact: Bool
    /// The full-width one-row pipeline summary (compact layout only).
    public var strip: Rect?
    /// The rectangle for each pane shown; panes not shown are absent.
    public var panes: [Pane: Rect]
    public var input: Rect
    public var status: Rect

    /// Side column width for the wide layout.
    static func sideWidth(for width: Int) -> Int { min(64, max(40, width * 2 / 5)) }

    public static func compute(width: Int, height: Int, focus: Pane) -> Layout {
        let w = max(1, width)
        let h = max(1, height)
        let input = Rect(x: 0, y: max(0, h - 2), width: w, height: h >= 2 ? 1 : 0)
        let status = Rect(x: 0, y: h - 1, width: w, height: 1)
        let mainH = max(0, h - 2)
        if w >= 100 && h >= 20 {
            let side = sideWidth(for: w)
            let chat = Rect(x: 0, y: 0, width: w - side, height: mainH)
            let pipeH = mainH >= 40 ? 15 : 9
            let rest = mainH - pipeH
            let modH = rest / 2
            let pipe = Rect(x: w - side, y: 0, width: side, height: pipeH)
            let mods = Rect(x: w - side, y: pipeH, width: side, height: modH)
            let costs = Rect(x: w - side, y: pipeH + modH, width: side, height: rest - modH)
            return Layout(
                width: w, height: h, isCompact: false, strip: nil,
                panes: [.chat: chat, .pipeline: pipe, .modules: mods, .costs: costs], input: input, status: status)
        }
        var top = 0
        var strip: Rect?
        if mainH >= 10 {
            strip = Rect(x: 0, y: 0, width: w, height: 1)
            top = 1
        }
        let main = Rect(x: 0, y: top, width: w, height: mainH - top)
        return Layout(
            width: w, height: h, isCompact: true, strip: strip, panes: [focus: main], input: input, status: status)
    }
}
