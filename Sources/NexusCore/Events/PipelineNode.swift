/// The stations every chat turn walks, in order (DESIGN §4.4). The TUI's pipeline pane draws these,
/// and metrics label latency by them.
public enum PipelineNode: String, Sendable, CaseIterable {
    case input, classifier
    case tierRouter = "tier_router"
    case modelSelector = "model_selector"
    case toolPicker = "tool_picker"
    case
        executor, synthesis
    /// The stages of a module build (issue 14), walked instead of executor and synthesis.
    case plan, generate, validate, repair, proof, approval, install, credentials
    case liveTest = "live_test"

    /// The nodes of a chat turn, in order.
    public static let chat: [PipelineNode] = [
        .input, .classifier, .tierRouter, .modelSelector, .toolPicker, .executor, .synthesis,
    ]
    /// The nodes of a module build, in order.
    public static let build: [PipelineNode] = [
        .plan, .generate, .validate, .repair, .proof, .approval, .install, .credentials, .liveTest,
    ]

    public var isBuildStage: Bool { Self.build.contains(self) }

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
        case .plan: "plan"
        case .generate: "generate"
        case .validate: "validate"
        case .repair: "repair"
        case .proof: "proof"
        case .approval: "approval"
        case .install: "install"
        case .credentials: "credentials"
        case .liveTest: "live test"
        }
    }
}

/// A module's health as users see it (DESIGN §4.4).
public enum ModuleHealth: String, Sendable, CaseIterable {
    case healthy, degraded, failing, disabled, unknown
}
