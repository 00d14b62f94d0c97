/// A key press (or mouse wheel step, or paste) as the TUI understands it, decoded from raw bytes.
public enum Key: Sendable, Equatable {
    case char(Character)
    case ctrl(Character)
    case alt(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight
    case function(Int)
    case wheelUp, wheelDown
    case click(x: Int, y: Int)
    case paste(String)
    /// A sequence the decoder did not recognise (ignored, never typed as text).
    case unknown
}
