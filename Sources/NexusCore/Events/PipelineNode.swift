/// The stations every chat turn walks, in order (DESIGN §4.4). The TUI's pipeline pane draws these,
/// and metrics label latency by them.
public enum PipelineNode: String, Sendable, CaseIterable {
    case input, classifier, tierRouter = "tier_router", modelSelector = "model_selector", toolPicker = "tool_picker",
        executor, synthesis

    /// The label shown in the pipeline graph.
    public var title: String {
        switch self {
        case .input: "input"
        case .classifier: "classifier"
        case .tierRouter: "tier router"
        case .modelSelector: "model selector"
        case .toolPicker: "tool picker"
        case .executor: "executor"
        case .synthesis: "synthesis"
        }
    }
}

/// A module's health as users see it (DESIGN §4.4).
public enum ModuleHealth: String, Sendable, CaseIterable {
    case healthy, degraded, failing, disabled, unknown
}
