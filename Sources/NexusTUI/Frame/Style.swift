/// What a cell means, not what it looks like: the driver's theme turns each into colours and
/// attributes for 256 colours, 8 colours or none (`NO_COLOR`), so panes never think about terminals.
public enum Style: UInt8, Sendable, CaseIterable {
    case normal = 0
    case dim, bold, accent
    case border, borderFocus, title, titleFocus
    case user, assistant, code, codeFence, tool, notice, error
    case approval, approvalKey
    case nodeIdle, nodeActive, nodeOK, nodeError, badge, detail
    case healthy, degraded, failing, disabled, unknown
    case input, inputPrompt, hidden
    case status, statusGood, statusBad, statusWarn
    case overlay, overlayKey, selection
}
