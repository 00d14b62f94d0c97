import NexusCore

/// A composed frame: the cells and where the cursor goes.
public struct Frame: Sendable {
    public var grid: CellGrid
    /// Row and column of the input cursor; nil hides it.
    public var cursor: (row: Int, col: Int)?
}

/// Draws a `UIState` into an off-screen `CellGrid` for a terminal size. Pure: no curses, no I/O,
/// so layout, wrapping and every pane are testable and benchmarkable without a terminal. It places the
/// panes (`Layout`) and has each draw itself: one file per pane, named for what it draws (`ChatPane`,
/// `PipelineGraphPane`, `ModuleHealthPane`, `TokenCostPane`, `StatusBar`, `BuildProofOverlay` …).
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
            case .chat: ChatPane.draw(&g, &state, rect, focused: focused)
            case .pipeline: PipelineGraphPane.draw(&g, state.pipeline, rect, focused: focused)
            case .modules: ModuleHealthPane.draw(&g, state.modules, rect, focused: focused)
            case .costs: TokenCostPane.draw(&g, state.costs, rect, focused: focused)
            }
        }
        if let strip = layout.strip { PipelineStrip.draw(&g, state.pipeline, strip) }
        var cursor: (Int, Int)? = nil
        if layout.input.height > 0 { cursor = InputBar.draw(&g, state, layout.input) }
        StatusBar.draw(&g, state, layout.status, compact: layout.isCompact, nowNs: nowNs)
        if !state.input.candidates.isEmpty { CompletionMenu.draw(&g, state.input, above: layout.input.y) }
        if let p = state.proof, p.approvalID == state.pendingApproval?.id {
            BuildProofOverlay.draw(&g, p)
            cursor = nil
        }
        if state.showHelp {
            HelpOverlay.draw(&g)
            cursor = nil
        }
        return Frame(grid: g, cursor: cursor)
    }
}
