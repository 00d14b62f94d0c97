/// Turns a parsed nexus.toml into a `NexusConfig`: defaults, then the file, then the environment.
///
/// It exists so every key is checked in one place with its line: a wrong type or value stops start-up
/// with `FILE:LINE: key.path: expected ...` (exit 2), an unknown key becomes a warning with a
/// suggestion, and a routing entry naming a provider that does not exist is refused. Pure: no I/O,
/// the environment comes in as a dictionary (ConfigLoader reads the file).
///
///     let doc = try TOMLParser.parse(bytes)
///     let result = try ConfigDecoder.decode(doc, source: "nexus.toml", environment: env)
public struct ConfigDecoder {
    public struct Result: Sendable, Equatable {
        public var config: NexusConfig
        public var warnings: [ConfigWarning]
    }

    /// Every top-level key nexus.toml understands.
    public static let sections = [
        "providers", "routing", "tasks", "pricing", "privacy", "conversation", "classifier", "sandbox", "modules",
        "ui", "server", "build", "embeddings",
        "telemetry", "budget",
    ]

    let source: String
    let environment: [String: String]
    var warnings: [ConfigWarning] = []
    var config = NexusConfig()
    /// Line of each `[routing]` entry and of each model in it, checked once the providers are final.
    var routingLines: [(task: TaskType, ref: ModelRef, line: Int)] = []

    init(source: String, environment: [String: String]) {
        self.source = source
        self.environment = environment
    }

    /// Decodes `document` (an empty table when there is no file). `source` names the file in messages.
    public static func decode(_ document: TOMLTable, source: String, environment: [String: String])
        throws(ConfigError) -> Result
    {
        var decoder = ConfigDecoder(source: source, environment: environment)
        try decoder.decodeDocument(document)
        return Result(config: decoder.config, warnings: decoder.warnings)
    }

    mutating func decodeDocument(_ doc: TOMLTable) throws(ConfigError) {
        warnUnknownKeys(in: doc, path: "", known: Self.sections)
        if let v = doc["providers"] { try decodeProviders(v) }
        if let v = doc["tasks"] { try decodeTasks(v) }
        if let v = doc["routing"] { try decodeRouting(v) }
        if let v = doc["pricing"] { try decodePricing(v) }
        if let v = doc["privacy"] {
            let s = try choice(v, "privacy", PrivacyMode.allCases.map(\.rawValue))
            config.privacy = PrivacyMode(rawValue: s) ?? .open
        }
        if let v = doc["conversation"] { try decodeConversation(v) }
        if let v = doc["classifier"] {
            let t = try table(v, "classifier")
            warnUnknownKeys(in: t, path: "classifier", known: Self.classifierKeys)
            if let b = t["use_model_when_unclear"] {
                config.classifier.useModelWhenUnclear = try bool(b, "classifier.use_model_when_unclear")
            }
        }
        if let v = doc["sandbox"] { try decodeSandbox(v) }
        if let v = doc["modules"] { try decodeModules(v) }
        if let v = doc["embeddings"] { try decodeEmbeddings(v) }
        if let v = doc["build"] { try decodeBuild(v) }
        if let v = doc["telemetry"] { try decodeTelemetry(v) }
        if let v = doc["budget"] { try decodeBudget(v) }
        if let v = doc["ui"] {
            let t = try table(v, "ui")
            warnUnknownKeys(in: t, path: "ui", known: Self.uiKeys)
            if let c = t["color"] {
                config.ui.color =
                    UIConfig.ColorMode(rawValue: try choice(c, "ui.color", ["auto", "always", "never"])) ?? .auto
            }
        }
        if let v = doc["server"] { try decodeServer(v) }
        try applyDefaultsAndEnvironment()
        try checkRoutingProviders()
        warnAboutRoutesPrivacyForbids()
    }

    mutating func decodeConversation(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "conversation")
        warnUnknownKeys(in: t, path: "conversation", known: Self.conversationKeys)
        if let x = t["max_tool_steps"] {
            config.conversation.maxToolSteps = try int(x, "conversation.max_tool_steps", in: 1...100)
        }
        if let x = t["max_tool_calls_per_step"] {
            config.conversation.maxToolCallsPerStep = try int(x, "conversation.max_tool_calls_per_step", in: 1...128)
        }
        if let x = t["max_output_tokens"] {
            config.conversation.maxOutputTokens = try int(x, "conversation.max_output_tokens", in: 1...1_000_000)
        }
        if let x = t["system_prompt"] { config.conversation.systemPrompt = try string(x, "conversation.system_prompt") }
    }

    mutating func decodeSandbox(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "sandbox")
        warnUnknownKeys(in: t, path: "sandbox", known: Self.sandboxKeys)
        if let x = t["exec"] { config.sandbox.exec = try limits(x, "sandbox.exec", config.sandbox.exec) }
        if let x = t["validate"] {
            config.sandbox.validate = try limits(x, "sandbox.validate", config.sandbox.validate)
        }
        if let x = t["integration"] {
            config.sandbox.integration = try limits(x, "sandbox.integration", config.sandbox.integration)
        }
        if let x = t["allow_degraded"] { config.sandbox.allowDegraded = try bool(x, "sandbox.allow_degraded") }
    }

    mutating func limits(_ v: TOMLValue, _ path: String, _ start: SandboxConfig.Limits) throws(ConfigError)
        -> SandboxConfig.Limits
    {
        let t = try table(v, path)
        warnUnknownKeys(in: t, path: path, known: Self.limitKeys)
        var limits = start
        if let x = t["timeout_seconds"] { limits.timeoutSeconds = try seconds(x, path + ".timeout_seconds") }
        if let x = t["memory_mb"] { limits.memoryMB = try int(x, path + ".memory_mb", in: 16...1_048_576) }
        return limits
    }

    mutating func decodeModules(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "modules")
        warnUnknownKeys(in: t, path: "modules", known: Self.modulesKeys)
        if let x = t["idle_shutdown_seconds"] {
            config.modules.idleShutdownSeconds = try seconds(x, "modules.idle_shutdown_seconds")
        }
        if let x = t["call_timeout_seconds"] {
            config.modules.callTimeoutSeconds = try seconds(x, "modules.call_timeout_seconds")
        }
        if let x = t["cpu_seconds"] { config.modules.cpuSeconds = try int(x, "modules.cpu_seconds", in: 0...604_800) }
        if let x = t["max_folder_mb"] { config.modules.maxFolderMB = try int(x, "modules.max_folder_mb", in: 1...4096) }
        if let x = t["max_tools_per_turn"] {
            config.modules.maxToolsPerTurn = try int(x, "modules.max_tools_per_turn", in: 1...128)
        }
        if let x = t["rerank_tools"] { config.modules.rerankTools = try bool(x, "modules.rerank_tools") }
        if let x = t["rerank_timeout_ms"] {
            config.modules.rerankTimeoutMs = try int(x, "modules.rerank_timeout_ms", in: 1...60_000)
        }
        if let x = t["usage_prior"] { config.modules.usagePrior = try bool(x, "modules.usage_prior") }
    }
}
