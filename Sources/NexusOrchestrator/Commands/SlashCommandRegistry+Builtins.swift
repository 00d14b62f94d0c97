/// The commands every session has: /help, /quit (/exit), /clear, /history and /config.
///
/// The session that owns history and configuration is built elsewhere, so these take what they
/// need as closures (`BuiltinHooks`) instead of reaching into it.
extension SlashCommandRegistry {
    public struct BuiltinHooks: Sendable {
        /// The effective configuration as text, secrets masked (`ConfigLoader.render`).
        public var effectiveConfig: @Sendable () async -> String
        /// The most recent user inputs, oldest first, at most `limit`.
        public var recentInputs: @Sendable (_ limit: Int) async -> [String]
        /// Forgets the conversation so far.
        public var clearConversation: @Sendable () async -> Void

        public init(
            effectiveConfig: @escaping @Sendable () async -> String,
            recentInputs: @escaping @Sendable (_ limit: Int) async -> [String],
            clearConversation: @escaping @Sendable () async -> Void
        ) {
            self.effectiveConfig = effectiveConfig
            self.recentInputs = recentInputs
            self.clearConversation = clearConversation
        }
    }

    static let defaultHistoryCount = 20

    public func registerBuiltins(_ hooks: BuiltinHooks) throws(SlashCommandError) {
        try register(
            SlashCommand(
                name: "help", summary: "List commands, or show one command's usage", usage: "/help [COMMAND]",
                completeArgument: { [weak self] _ in self?.commands.map(\.name) ?? [] }
            ) { inv in
                guard let name = inv.arguments.first else { return SlashResult(inv.registry.help()) }
                guard inv.arguments.count == 1 else { throw inv.usageError("takes at most one command name") }
                if let text = inv.registry.help(for: name) { return SlashResult(text) }
                throw SlashCommandError.unknownCommand(
                    SlashCommandRegistry.normalized(name), suggestion: inv.registry.suggestion(for: name))
            })
        try register(
            SlashCommand(name: "quit", aliases: ["exit"], summary: "Leave NEXUS") { _ in
                return SlashResult("", action: .quit)
            })
        try register(
            SlashCommand(name: "clear", summary: "Forget the conversation so far and start afresh") { _ in
                await hooks.clearConversation()
                return SlashResult("Conversation cleared.", action: .clear)
            })
        try register(
            SlashCommand(
                name: "history", summary: "Show your recent inputs",
                usage: "/history [N]  (the last N inputs, default \(Self.defaultHistoryCount))"
            ) { inv in
                var count = Self.defaultHistoryCount
                if let arg = inv.arguments.first {
                    guard inv.arguments.count == 1, let n = Int(arg), n > 0 else {
                        throw inv.usageError("expected a positive number of inputs, got \(inv.argumentText)")
                    }
                    count = n
                }
                let inputs = await hooks.recentInputs(count).suffix(count)
                if inputs.isEmpty { return SlashResult("No inputs yet.") }
                let width = String(inputs.count).count
                let lines = inputs.enumerated().map { i, text in
                    let number = String(i + 1)
                    return number.leftPadded(to: width) + "  " + text
                }
                return SlashResult(lines.joined(separator: "\n"))
            })
        try register(
            SlashCommand(name: "config", summary: "Show the effective configuration (secrets masked)") { _ in
                return SlashResult(await hooks.effectiveConfig())
            })
    }
}
