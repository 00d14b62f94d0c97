import NexusCore
import NexusModules
import NexusVault

/// `/modules` and `/creds`: the same text and behaviour as `nexus modules ...` and `nexus creds ...`.
extension Orchestrator {
    /// `workingDirectory` anchors relative paths in `/modules install` (`--read ./repo`); `vault` opens
    /// the credential store when a freshly installed module declares credentials, which are then asked
    /// for the way `nexus modules install` asks (nil: the person is told how to set them).
    public nonisolated func registerModuleCommands(
        _ modules: ModuleCommands, workingDirectory: String = "/",
        vault: (@Sendable () throws -> CredentialStore)? = nil
    ) throws {
        let verbs = ["list", "info", "install", "enable", "disable", "remove", "rollback", "test", "reload"]
        try commands.register(
            SlashCommand(
                name: "modules",
                summary: "List, inspect, install, enable, disable, remove, roll back, test or reload modules",
                usage: ModuleCommands.usage.replacingUsagePrefix("/modules"), completeArgument: { _ in verbs }
            ) { [weak self] inv in
                guard let self else { return SlashResult("") }
                let interaction = self.interaction
                let (text, status) = await modules.execute(
                    inv.arguments, approval: interaction, workingDirectory: workingDirectory,
                    afterInstall: { report in
                        await ModuleCredentialPrompt.ask(report, interaction: interaction, vault: vault)
                    })
                if status != .success { throw NexusError(text, exit: status) }
                return SlashResult(text)
            })
    }

    public nonisolated func registerCredentialCommands(_ store: CredentialStore) throws {
        try registerCredentialCommands(opening: { store })
    }

    /// `/creds` in every session: `open` gives the vault on first use (a session that began before any
    /// credential was stored has none yet; a `/creds set` then creates it, as `nexus creds set` does).
    public nonisolated func registerCredentialCommands(opening open: @escaping @Sendable () throws -> CredentialStore)
        throws
    {
        try commands.register(
            SlashCommand(
                name: "creds", summary: "Module credentials: list, set MODULE NAME, delete MODULE NAME, rotate-key",
                usage: "/creds [list [MODULE] | set MODULE NAME | delete MODULE NAME | rotate-key]",
                completeArgument: { _ in ["list", "set", "delete", "rotate-key"] }
            ) { [weak self] inv in
                guard let self else { return SlashResult("") }
                let store = try open()
                let interaction = self.interaction
                var secret: [UInt8]?
                if inv.arguments.first == "set", inv.arguments.count == 3 {
                    let value = await interaction.askSecret(
                        SecretPrompt(module: inv.arguments[1], name: inv.arguments[2]))
                    secret = value.map { Array($0.utf8) }
                }
                let database = self.context.database
                let environment = self.context.environment
                let text = CredentialCommands.runSlash(
                    inv.arguments, store: store, readSecret: { _ in secret },
                    advise: {
                        CredentialAdvice.afterSet(
                            $2, module: $0, name: $1, database: database, environment: environment)
                    })
                return SlashResult(text)
            })
    }
}

extension String {
    func replacingUsagePrefix(_ prefix: String) -> String {
        guard hasPrefix("usage: modules") else { return self }
        return prefix + dropFirst("usage: modules".count)
    }
}
