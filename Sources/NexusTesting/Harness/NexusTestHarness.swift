import NexusCore

/// One specification, two ways to run it — in memory or against the built binary — the way Hummingbird's
/// testing product runs the same test on `.router` or `.live`.
///
/// `.inProcess`: `InProcessNexus` with `ScriptedProvider`s, the module host over a `PassThroughLauncher`
/// running each `FakeMCPModule` as an `InProcessMCPServer`, and an `InMemoryVault`. Milliseconds, no
/// sockets. `.binary`: `.build/debug/nexus -p PROMPT --json` in a fresh home, each provider a
/// `FakeProviderServer` over loopback HTTP, each module installed with `nexus modules install` and run as
/// the real `nexus-fake-mcp` child (`NEXUS_SANDBOX=off`: the pass-through launcher's live twin), each
/// secret stored with `nexus creds set`. Both report a `TurnRecord` in the same terms — the `--json`
/// events, what each model request carried, the ledger and the module call log — so a spec written once
/// asserts the same things both ways (Swift Testing `arguments: NexusTestHarness.Mode.allCases`).
public final class NexusTestHarness: Sendable {
    public enum Mode: String, Sendable, CaseIterable, CustomStringConvertible {
        case inProcess, binary
        public var description: String { rawValue }
    }

    /// One scripted model answer.
    public enum ModelStep: Sendable {
        case text(String)
        case toolCall(name: String, arguments: JSONValue)
        /// An HTTP error status from the provider (5xx, 429...).
        case fail(status: Int)
        /// Never answers (until the turn is cancelled).
        case hang
    }

    /// What the session is made of.
    public struct Setup: Sendable {
        /// Provider names, in routing-chain order (the first is tried first).
        public var providers: [String]
        public var modules: [FakeMCPModule]
        public var secrets: [Secret]
        /// How every approval is answered (`--approve yes|no` live).
        public var approve: Bool
        /// Extra nexus.toml text.
        public var config: String

        public init(
            providers: [String] = ["fake"], modules: [FakeMCPModule] = [], secrets: [Secret] = [],
            approve: Bool = false, config: String = ""
        ) {
            self.providers = providers
            self.modules = modules
            self.secrets = secrets
            self.approve = approve
            self.config = config
        }
    }

    public struct Secret: Sendable {
        public var module: String
        public var name: String
        public var value: String
        public init(module: String, name: String, value: String) {
            self.module = module
            self.name = name
            self.value = value
        }
    }

    /// When a run cancels its own turn (Ctrl-C; SIGINT live).
    public enum CancelPoint: Sendable {
        /// Once a module's tool call has started (its `tool_call` event is out).
        case duringToolCall
    }

    public let mode: Mode
    let backend: any HarnessBackend

    private init(mode: Mode, backend: any HarnessBackend) {
        self.mode = mode
        self.backend = backend
    }

    /// Builds the session, installs its modules and stores its secrets.
    public static func start(_ mode: Mode, _ setup: Setup = Setup()) async throws -> NexusTestHarness {
        switch mode {
        case .inProcess: NexusTestHarness(mode: mode, backend: try await InProcessBackend.start(setup))
        case .binary: NexusTestHarness(mode: mode, backend: try await BinaryBackend.start(setup))
        }
    }

    /// Adds answers to `provider`'s script.
    public func script(_ provider: String = "fake", _ steps: ModelStep...) { backend.script(provider, steps) }

    /// Runs one prompt as a turn and reports it.
    public func run(_ prompt: String, cancel: CancelPoint? = nil) async throws -> TurnRecord {
        try await backend.run(prompt, cancel: cancel)
    }

    /// Ends the session and removes its home.
    public func close() async { await backend.close() }

    /// The nexus.toml both modes use: each provider an OpenAI-compatible endpoint, no retries, and one
    /// routing chain over them in order for every task type.
    static func config(_ setup: Setup, baseURL: (String) -> String) -> String {
        var text = ""
        for p in setup.providers {
            text += "[providers.\(p)]\nkind = \"openai\"\nbase_url = \"\(baseURL(p))\"\nmax_retries = 0\n\n"
        }
        let chain = "[" + setup.providers.map { "\"\($0):fake-model\"" }.joined(separator: ", ") + "]"
        text += "[routing]\n"
        for task in ["simple_query", "complex_reasoning", "code_generation"] { text += "\(task) = \(chain)\n" }
        return text + "\n" + setup.config + "\n"
    }
}

/// What one mode does for the harness.
protocol HarnessBackend: Sendable {
    func script(_ provider: String, _ steps: [NexusTestHarness.ModelStep])
    func run(_ prompt: String, cancel: NexusTestHarness.CancelPoint?) async throws -> TurnRecord
    func close() async
}
