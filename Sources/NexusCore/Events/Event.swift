/// Something that happened, published on the `EventBus`.
///
/// Every decision the kernel makes is one of these (DESIGN §2.3): faces render them, the ledger and
/// history store them, metrics count them. Each carries the turn it belongs to (0 outside a turn) and
/// a monotonic timestamp.
public struct Event: Sendable {
    public var turnID: Int
    public var timestampNs: UInt64
    public var kind: EventKind

    public init(turnID: Int, kind: EventKind, timestampNs: UInt64 = MonotonicClock.nanoseconds()) {
        self.turnID = turnID
        self.timestampNs = timestampNs
        self.kind = kind
    }
}

/// The closed set of things that can happen. Adding a case is a contract change (DESIGN §4.4).
public enum EventKind: Sendable {
    case turnStarted(input: String)
    case nodeEntered(PipelineNode)
    case nodeLeft(PipelineNode, latencyMs: Double, detail: String?)
    /// The classifier's decision and why.
    case route(taskType: String, tier: String, reason: String)
    /// The model chosen for this call, and the rest of the chain behind it.
    case modelSelected(model: String, chain: [String])
    case token(String)
    case toolCall(ToolCall, module: String?)
    case toolResult(ToolResult, latencyMs: Double)
    case approvalRequired(ApprovalRequest)
    case approval(id: String, decision: ApprovalDecision)
    /// One model call finished (or failed); DESIGN's seed tags plus cost and outcome.
    case llmCall(LLMCallRecord)
    case retry(provider: String, attempt: Int, delaySeconds: Double, reason: String)
    case fallback(from: String, to: String, reason: String)
    case final(text: String)
    case error(message: String, hint: String?)
    /// Something worth telling the user that is not an error ("context trimmed: 3 oldest turns left out").
    case notice(String)
    case moduleHealth(module: String, health: ModuleHealth, reason: String?)
    case moduleState(module: String, state: String)
    /// A vault or sandbox action worth auditing: who did what to which name. Never a secret value.
    case audit(actor: String, action: String, target: String)
    case turnFinished(outcome: String, latencyMs: Double)
    /// Text a slash command printed (`/help`, `/cost`...), so every face renders it the same way.
    case commandOutput(command: String, text: String)
    /// A module process's resources, sampled from /proc every few seconds: resident memory and the CPU time
    /// its process tree has used so far (a running total, so metrics can expose it as a counter).
    case moduleResources(module: String, residentBytes: Int, cpuSeconds: Double)
    /// One sandboxed run finished (gate checks, `nexus sandbox run`): its mode and outcome (`ok`, `failed`,
    /// `timeout`, `killed`, `refused`).
    case sandboxRun(mode: String, outcome: String, latencyMs: Double)
    /// The egress proxy decided one request of a module: `allowed` or `blocked`. Host only, never a path.
    case egress(module: String, host: String, verdict: String)
    /// A module build ended: `installed`, `declined`, `failed`, `cancelled`.
    case buildFinished(module: String, outcome: String, latencyMs: Double)
    /// Spending against a budget cap (`daily`, `session`, `per_turn`, `route:<task>`), and what the guard did:
    /// `status` (a report), `downgrade`, `ask`, `stop`.
    case budget(scope: String, spentUSD: Double, capUSD: Double, action: String)
    /// A task type's route changed in the running session (`/model`, `PUT /v1/routing`, a reload of
    /// nexus.toml): the chain the next call of that task uses, and who changed it. Faces show it at once.
    case routeChanged(taskType: String, chain: [String], by: String)
}

/// Something the orchestrator will not do without a person's yes.
public struct ApprovalRequest: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case moduleInstall = "module_install"
        case sensitiveTool = "sensitive_tool"
        case other
    }
    public var id: String
    public var kind: Kind
    public var title: String
    /// Label/value lines shown to the person (name, command, network hosts, credentials, sha256...).
    /// Values are whole: a face that shortens one says how much it left out and how to see it all.
    public var details: [Detail]
    /// The tool this request runs, when "always for this tool, any arguments" may be offered as a
    /// choice of its own; nil offers only "always for exactly this request".
    public var tool: String?
    /// Evidence behind the question, for faces that show more than label/value lines: a module build's
    /// proof (files, gate checks, tests, mutation score, models, cost, diff). `--json` carries it as `proof`.
    public var proof: JSONValue?

    public struct Detail: Sendable, Equatable {
        public var label: String
        public var value: String
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    public init(
        id: String, kind: Kind, title: String, details: [Detail], tool: String? = nil, proof: JSONValue? = nil
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.details = details
        self.tool = tool
        self.proof = proof
    }
}

/// A person's answer to an `ApprovalRequest`. `always` means yes, for the rest of this session, to
/// requests exactly like this one (same tool, same arguments, same details shown); `alwaysTool` means
/// yes to every later call of the request's tool whatever its arguments, a separate and explicit choice
/// (see `ApprovalMemory`).
public enum ApprovalDecision: String, Sendable {
    case yes, no, always
    case alwaysTool = "always_tool"
    public var granted: Bool { self != .no }
}

/// Who answers approvals: the TUI's inline prompt, the REPL's next line, or `--approve yes|no`.
public protocol ApprovalHandler: Sendable {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision
}
