/// The effective configuration: defaults, then nexus.toml, then environment overrides.
///
/// Plain values only; reading and validating the file lives in `ConfigLoader`. Every key here is
/// documented in nexus.toml.example (DESIGN §4.2).
public struct NexusConfig: Sendable, Equatable {
    /// Providers in the order they were declared.
    public var providers: [ProviderConfig] = []
    /// Task type → model or fallback chain.
    public var routing: [TaskType: [ModelRef]] = [:]
    /// Tier per task type (`[tasks.NAME] tier = "heavy"`); missing ones use `TaskType.defaultTier`.
    public var taskTiers: [TaskType: Tier] = [:]
    /// Extra keywords that send a turn to a task type (`[tasks.NAME] keywords = [...]`).
    public var taskKeywords: [TaskType: [String]] = [:]
    /// Prices per `provider:model` key.
    public var pricing: [String: Pricing] = [:]
    public var privacy: PrivacyMode = .open
    public var conversation = ConversationConfig()
    public var classifier = ClassifierConfig()
    public var sandbox = SandboxConfig()
    public var modules = ModulesConfig()
    public var embeddings = EmbeddingsConfig()
    public var ui = UIConfig()
    public var server = ServerConfig()
    public var build = BuildConfig()
    public var telemetry = TelemetryConfig()
    public var budget = BudgetConfig()

    public init() {}

    public func provider(named name: String) -> ProviderConfig? { providers.first { $0.name == name } }

    /// The tier for a task type: configured, else its built-in default.
    public func tier(for task: TaskType) -> Tier { taskTiers[task] ?? task.defaultTier }

    /// Every task type known: built-ins plus any named in `[routing]` or `[tasks]`.
    public var taskTypes: [TaskType] {
        var all = Set(TaskType.builtIn)
        all.formUnion(routing.keys)
        all.formUnion(taskTiers.keys)
        all.formUnion(taskKeywords.keys)
        return all.sorted()
    }
}

/// `[providers.NAME]`: where a model server is and how to talk to it.
public struct ProviderConfig: Sendable, Equatable {
    public var name: String
    public var kind: ProviderKind
    /// API root as the provider documents it; nil → the provider's public default.
    public var baseURL: String?
    /// Name of the environment variable holding the API key (never the key itself).
    public var apiKeyEnv: String?
    /// The user marks a non-loopback server as local (privacy mode treats it as local).
    public var markedLocal: Bool = false
    /// Start a bundled local server on first use (the `local` provider of the local default).
    public var autostart: Bool = false
    /// Command that starts the server when `autostart` is on.
    public var autostartCommand: [String] = []
    /// Context window in tokens, for trimming history; nil → a per-model guess.
    public var contextWindow: Int?
    public var connectTimeoutSeconds: Double = 10
    /// No byte for this long ends the call as a timeout.
    public var readTimeoutSeconds: Double = 120
    public var maxRetries: Int = 3
    /// Extra HTTP headers (e.g. OpenRouter's `HTTP-Referer`).
    public var headers: [String: String] = [:]
    /// Models known without asking the server (shown by `/models` when it cannot be reached).
    public var models: [String] = []
    /// Whether the model speaks native tool calling; false → the JSON ReAct protocol.
    public var nativeTools: Bool = true

    public init(name: String, kind: ProviderKind) {
        self.name = name
        self.kind = kind
    }
}

/// Price of a model per million tokens, in US dollars.
public struct Pricing: Sendable, Equatable {
    public var inputPerMTok: Double
    public var outputPerMTok: Double
    public init(inputPerMTok: Double, outputPerMTok: Double) {
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
    }
    public func cost(tokensIn: Int, tokensOut: Int) -> Double {
        (Double(tokensIn) * inputPerMTok + Double(tokensOut) * outputPerMTok) / 1_000_000
    }
}

/// `privacy = "open" | "local-only"`: local-only refuses every provider that is not on this machine.
public enum PrivacyMode: String, Sendable, CaseIterable {
    case open
    case localOnly = "local-only"
}

/// `[conversation]`: how much history and how many tool steps a turn may use.
public struct ConversationConfig: Sendable, Equatable {
    public var maxToolSteps = 8
    /// Tool calls one model reply may have run; the rest are answered "not run" (a reply is hostile input).
    public var maxToolCallsPerStep = 16
    public var maxOutputTokens = 4096
    public var systemPrompt: String?
    public init() {}
}

/// `[classifier]`: heuristics first; optionally ask the classification model when unsure.
public struct ClassifierConfig: Sendable, Equatable {
    public var useModelWhenUnclear = false
    public init() {}
}

/// `[sandbox]`: limits per mode and what to do on a machine without namespaces.
public struct SandboxConfig: Sendable, Equatable {
    public struct Limits: Sendable, Equatable {
        public var timeoutSeconds: Double
        public var memoryMB: Int
        public init(timeoutSeconds: Double, memoryMB: Int) {
            self.timeoutSeconds = timeoutSeconds
            self.memoryMB = memoryMB
        }
    }
    public var exec = Limits(timeoutSeconds: 30, memoryMB: 256)
    public var validate = Limits(timeoutSeconds: 60, memoryMB: 512)
    public var integration = Limits(timeoutSeconds: 60, memoryMB: 512)
    public var allowDegraded = false
    public init() {}
}

/// `[modules]`: process lifecycle knobs.
public struct ModulesConfig: Sendable, Equatable {
    public var idleShutdownSeconds: Double = 300
    public var callTimeoutSeconds: Double = 30
    /// Tool schemas offered to the model per turn at most (the tool picker's k).
    public var maxToolsPerTurn = 12
    /// CPU-time limit of a module process over its life, in seconds (0: none); a manifest's
    /// `limits.cpu_seconds` overrides it.
    public var cpuSeconds = 3600
    /// What a module folder may hold in all, in MB: a module is code, and every install copies it twice
    /// (the live folder and its kept version).
    public var maxFolderMB = 32
    /// Let the classification route reorder the picker's top 20 before the cut to `maxToolsPerTurn`.
    public var rerankTools = false
    /// How long a turn waits for that order before keeping the picker's.
    public var rerankTimeoutMs = 3_000
    /// Let the apps the person has called successfully rank above look-alike apps they never used.
    public var usagePrior = true
    public init() {}
}

/// `[ui]`: colours and layout.
public struct UIConfig: Sendable, Equatable {
    public enum ColorMode: String, Sendable { case auto, always, never }
    public var color: ColorMode = .auto
    public init() {}
}

/// `[server]`: the admin API and metrics server (issue 16). Off unless `admin = true`, `--admin-port` or
/// `nexus serve`; loopback unless `bind` names another address.
public struct ServerConfig: Sendable, Equatable {
    /// Start the admin server with every chat session.
    public var admin = false
    public var adminPort = 8003
    /// The address to listen on; nil is 127.0.0.1. Anything not loopback prints a warning at start.
    public var bind: String?
    public init() {}
}
