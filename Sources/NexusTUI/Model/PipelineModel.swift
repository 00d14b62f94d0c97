import NexusCore

/// The pipeline pane's state: which node is running, each node's last latency and outcome, and the
/// decisions made on the way (task type, tier, model, tools).
public struct PipelineModel: Sendable, Equatable {
    public enum NodeStatus: Sendable, Equatable { case idle, active, ok, error }

    public struct NodeState: Sendable, Equatable {
        public var status: NodeStatus = .idle
        public var lastLatencyMs: Double?
        public var detail: String?
    }

    public private(set) var nodes: [PipelineNode: NodeState] = [:]
    public private(set) var active: PipelineNode?
    public private(set) var taskType: String?
    public private(set) var tier: String?
    public private(set) var model: String?
    public private(set) var tools: [String] = []
    public private(set) var tokens = 0
    /// A route changed after `model` was chosen (`route_changed`, from `/model` or the admin API): the
    /// task type and the model its next call starts with, shown at the model selector until a call selects.
    public private(set) var nextRoute: NextRoute?
    /// True once a build stage ran in this turn: the pane then shows the build's nodes.
    public private(set) var showsBuild = false

    /// The nodes the pane draws: the chat pipeline, or a module build's stages.
    public var visibleNodes: [PipelineNode] { showsBuild ? PipelineNode.build : PipelineNode.chat }

    public struct NextRoute: Sendable, Equatable {
        public var taskType: String
        public var model: String
    }

    public init() {
        for n in PipelineNode.allCases { nodes[n] = NodeState() }
    }

    /// What the model selector shows: the next call's model when a route changed since the last selection
    /// (naming the task type when it is not the one on screen), else the model selected.
    public var modelShown: String? {
        guard let n = nextRoute else { return model }
        return n.taskType == taskType ? "\(n.model) (next)" : "\(n.taskType) → \(n.model) (next)"
    }

    public func state(_ n: PipelineNode) -> NodeState { nodes[n] ?? NodeState() }

    /// What a node shows beside its latency: the decision made there.
    public func annotation(_ n: PipelineNode) -> String? {
        switch n {
        case .classifier: return taskType ?? state(n).detail
        case .tierRouter: return tier ?? state(n).detail
        case .modelSelector: return modelShown ?? state(n).detail
        case .toolPicker: return tools.isEmpty ? state(n).detail : tools.joined(separator: ",")
        case .synthesis: return tokens > 0 ? "\(tokens) tok" : state(n).detail
        default: return state(n).detail
        }
    }

    public mutating func apply(_ kind: EventKind) {
        switch kind {
        case .turnStarted:
            for n in PipelineNode.allCases { nodes[n]?.status = .idle }
            active = nil
            tools = []
            tokens = 0
            showsBuild = false
        case .nodeEntered(let n):
            if n.isBuildStage { showsBuild = true }
            if let a = active, a != n, nodes[a]?.status == .active { nodes[a]?.status = .ok }
            active = n
            nodes[n]?.status = .active
        case .nodeLeft(let n, let ms, let detail):
            nodes[n]?.status = .ok
            nodes[n]?.lastLatencyMs = ms
            if let detail { nodes[n]?.detail = detail }
            if active == n { active = nil }
        case .route(let t, let tier, _):
            taskType = t
            self.tier = tier
        case .modelSelected(let m, _):
            model = m
            nextRoute = nil
        case .routeChanged(let t, let chain, _):
            // The task type on screen wins: another's change shows only while none to this one is pending.
            guard let head = chain.first, t == taskType || nextRoute == nil || nextRoute?.taskType != taskType
            else { break }
            nextRoute = NextRoute(taskType: t, model: head)
        case .toolCall(let call, _):
            if !tools.contains(call.name) { tools.append(call.name) }
        case .token:
            tokens += 1
        case .error:
            if let a = active { nodes[a]?.status = .error }
        case .turnFinished(let outcome, _):
            if let a = active { nodes[a]?.status = outcome == "ok" ? .ok : .error }
            active = nil
        default:
            break
        }
    }
}
