import NexusCore

/// How the TUI should run: colour choice, environment (for `NO_COLOR`), mouse, refresh rates.
public struct TUIOptions: Sendable {
    /// `[ui] color` from the config: auto (the terminal decides, `NO_COLOR` turns it off), always, never.
    public var color: UIConfig.ColorMode
    /// The process environment; `NO_COLOR` is read from here.
    public var environment: [String: String]
    /// Report the mouse wheel (scrolling) and use bracketed paste.
    public var mouse: Bool
    /// How often the status line, module matrix and costs are re-read from the session.
    public var statusRefreshSeconds: Double
    /// Upper bound on frames per second while streaming (keys are echoed at once regardless).
    public var maxFramesPerSecond: Int

    public init(
        color: UIConfig.ColorMode = .auto, environment: [String: String] = [:], mouse: Bool = true,
        statusRefreshSeconds: Double = 2, maxFramesPerSecond: Int = 60
    ) {
        self.color = color
        self.environment = environment
        self.mouse = mouse
        self.statusRefreshSeconds = statusRefreshSeconds
        self.maxFramesPerSecond = max(1, maxFramesPerSecond)
    }
}
