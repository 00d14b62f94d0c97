import NexusCore
import NexusModules
import NexusVault

/// After `/modules install` in the chat: asks for the credentials the new module declares through the
/// face (hidden input in the TUI and line mode) and stores them with the same code as
/// `nexus modules install` (`CredentialCommands.promptAfterInstall`), so both say the same things.
enum ModuleCredentialPrompt {
    static func ask(
        _ report: InstallReport, interaction: any InteractionHandler,
        vault: (@Sendable () throws -> CredentialStore)?
    ) async -> String {
        guard !report.credentials.isEmpty else { return "" }
        let declared = report.credentials.map {
            CredentialRequirement(name: $0.name, env: $0.env, instructions: $0.instructions ?? "")
        }
        guard let vault else {
            let m = report.module
            return declared.map {
                "\ncredential wanted: \(m) \($0.name) (\($0.env)) — set it with: /creds set \(m) \($0.name)"
            }.joined()
        }
        do {
            let store = try vault()
            let existing = Set(try store.list(module: report.module).map(\.name))
            // The face is asked first (it is async); the shared prompt then stores the answers in order.
            var answers: [[UInt8]?] = []
            for req in declared where !existing.contains(req.name) {
                let value = await interaction.askSecret(
                    SecretPrompt(module: report.module, name: req.name, instructions: req.instructions))
                answers.append(value.map { Array($0.utf8) })
            }
            var said = ""
            var queue = answers[...]
            try CredentialCommands.promptAfterInstall(
                module: report.module, declared: declared, store: store, say: { said += $0 },
                readSecret: { _ in queue.popFirst() ?? nil },
                advise: { CredentialAdvice.valueWarning($0, module: report.module, name: $1) })
            return "\n" + said.trimmingTrailingNewlines
        } catch {
            return "\ncredentials not stored: \(error.userFacingDescription)"
        }
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
