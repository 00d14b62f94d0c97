/// A request for a secret typed by the person (an API key after a module install, a vault passphrase).
/// Faces read the answer without echo; the answer never becomes an event.
public struct SecretPrompt: Sendable, Equatable {
    public var module: String
    public var name: String
    /// The manifest's instructions for obtaining the value ("Create a key at developer.clashroyale.com").
    public var instructions: String?

    public init(module: String, name: String, instructions: String? = nil) {
        self.module = module
        self.name = name
        self.instructions = instructions
    }
}

/// Everything the kernel may ask the person at the keyboard. The TUI answers inline, the REPL on the
/// next line, scripted runs by `--approve yes|no` (and no secret: nil).
public protocol InteractionHandler: ApprovalHandler {
    func askSecret(_ prompt: SecretPrompt) async -> String?
}
