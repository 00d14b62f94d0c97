import ArgumentParser
import NexusCore
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusVault

/// `nexus modules ...`: the module registry from the command line (DESIGN §4.1). Each subcommand is a
/// thin shell over `ModuleCommands`, which `/modules` in the chat uses too.
struct ModulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modules",
        abstract: "List, install, upgrade, roll back and test modules (MCP servers).",
        subcommands: [
            List.self, Info.self, Install.self, Enable.self, Disable.self, Remove.self, Rollback.self, Test.self,
            Reload.self,
            ModulesValidateCommand.self, Builds.self,
        ],
        defaultSubcommand: List.self
    )

    /// `nexus modules WORD ...` where WORD is no subcommand: says so and names the ones there are, rather
    /// than the default `list`'s "unexpected arguments".
    static func noSubcommand(_ word: String) -> NexusError {
        let names = configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
        let hint =
            ["upgrade", "update"].contains(word)
            ? "a new version is installed over the old one: nexus modules install PATH (or mcp --name NAME -- COMMAND)"
            : "the subcommands are \(names); see: nexus modules --help"
        return NexusError("modules: no subcommand '\(word)'", hint: hint, exit: .usage)
    }

    /// Opens the home and builds the module commands over it.
    /// Modules start with their credentials from the vault, as in a chat session.
    static func open(_ global: GlobalOptions) throws -> ModuleCommands {
        let ctx = try global.openContext()
        let store = VaultAccess.openIfSealed(ctx)
        let credentials = VaultAccess.credentials { store }
        var scrub: @Sendable (String) -> String = { $0 }
        if let store { scrub = { @Sendable text in store.redactor.redact(text) } }
        return ModuleCommands.open(
            database: ctx.database, bus: ctx.bus, modulesDirectory: ctx.paths.modules, logsDirectory: ctx.paths.logs,
            builtinDirectory: BuiltinModules.locate(environment: ctx.environment),
            idleShutdownSeconds: ctx.config.modules.idleShutdownSeconds,
            callTimeoutSeconds: ctx.config.modules.callTimeoutSeconds, launcher: ModuleLaunchers.make(ctx),
            credentials: credentials, redact: scrub, protected: ModuleLaunchers.protected(ctx),
            maxFolderMB: ctx.config.modules.maxFolderMB)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Installed and built-in modules with their health.")
        @OptionGroup var global: GlobalOptions
        /// `list` is the default: words here are a subcommand that does not exist (`modules upgrade time`).
        @Argument(help: .hidden) var unknown: [String] = []
        func run() async throws {
            if let word = unknown.first { throw ModulesCommand.noSubcommand(word) }
            Terminal.out(await (try ModulesCommand.open(global)).list() + "\n")
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything about one module: files, versions, tools, health.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws {
            Terminal.out(try await ModulesCommand.open(global).info(name) + "\n")
        }
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install or upgrade a module from a folder, or any MCP server command.",
            discussion: """
                nexus modules install ./path/to/module
                nexus modules install mcp --name time -- python3 -m mcp_server_time
                nexus modules install mcp --name git --read ~/src/repo -- /opt/venv/bin/mcp-server-git \
                --repository ~/src/repo

                Installing shows the name, command, network hosts, credentials, filesystem grants, settings, \
                limits and sha256 and asks y/N; --yes approves in scripts (without it, a script gets exit \
                status 3). Then it asks for the credentials the module declares and starts it once \
                (initialize + tools/list): a module that does not start is reported at once (exit status 1). \
                /modules install in the chat takes the same words.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A module folder, or `mcp` followed by -- and a server command.") var source: String
        @Option(help: "Module name (for `mcp`).") var name: String?
        @Option(help: "Category folder (for `mcp`).") var category = "mcp"
        @Option(name: .customLong("module-version"), help: "Version recorded (for `mcp`).") var moduleVersion = "1.0.0"
        @Option(name: .customLong("allow"), help: "A host the server may reach (for `mcp`; repeatable).") var allow:
            [String] = []
        @Option(
            name: .customLong("credential"),
            help: "An environment variable the server needs from the vault (for `mcp`; repeatable).")
        var credentials: [String] = []
        @Option(name: .customLong("read"), help: "A host path the module may read (repeatable).")
        var read: [String] = []
        @Option(name: .customLong("write"), help: "A host path the module may write (repeatable).")
        var write: [String] = []
        @Option(name: .customLong("env"), help: "A setting that is not secret, NAME=VALUE (repeatable).")
        var env: [String] = []
        @Option(help: "Memory limit in MB (default: [sandbox.integration] memory_mb).") var memory: Int?
        @Option(
            name: .customLong("cpu-seconds"),
            help: "CPU-time limit in seconds, 0 for none (default: [modules] cpu_seconds).")
        var cpuSeconds: Int?
        @Flag(name: .shortAndLong, help: "Approve without asking.") var yes = false
        @Argument(parsing: .postTerminator, help: "The MCP server command after --.") var command: [String] = []

        func run() async throws {
            var o = InstallRequest.Options(source: source)
            o.name = name
            o.category = category
            o.version = moduleVersion
            o.allow = allow
            o.credentials = credentials
            o.read = read
            o.write = write
            o.env = env
            o.memoryMB = memory
            o.cpuSeconds = cpuSeconds
            o.yes = yes
            o.command = command
            let request = try InstallRequest(o, workingDirectory: ProcessEnvironment.workingDirectory)
            let commands = try ModulesCommand.open(global)
            let approval: any ApprovalHandler = yes ? FixedApproval(.yes) : TerminalApproval()
            let report = try await commands.install(request, approval: approval)
            Terminal.out(report.text + "\n")
            try askForCredentials(report)
            // Opened again so the start check sees credentials stored just now.
            Terminal.out(try await ModulesCommand.open(global).checkStarts(report.module) + "\n")
        }

        /// After an install: asks for exactly the credentials the manifest declares, with its
        /// instructions (hidden input on a terminal); in a script, says how to set them later.
        func askForCredentials(_ report: InstallReport) throws {
            let moduleName = report.module
            guard !report.credentials.isEmpty else { return }
            guard Terminal.stdinIsTTY else {
                // A credential already in the vault is not wanted (the start check says if it needs a bind).
                // Display only: a vault that cannot be listed leaves every declared credential wanted.
                let ctx = try global.openContext()
                let have = Set(((try? VaultAccess.openIfSealed(ctx)?.list(module: moduleName)) ?? []).map(\.name))
                for c in report.credentials where !have.contains(c.name) {
                    Terminal.out(
                        "credential wanted: \(moduleName) \(c.name) (\(c.env)) — set it with: nexus creds set \(moduleName) \(c.name)\n"
                    )
                }
                return
            }
            let ctx = try global.openContext()
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
            try CredentialCommands.promptAfterInstall(
                module: moduleName,
                declared: report.credentials.map {
                    CredentialRequirement(name: $0.name, env: $0.env, instructions: $0.instructions ?? "")
                },
                store: store, say: { Terminal.err($0) },
                readSecret: { SecretInput.readLineWithoutEcho(fd: 0, prompt: $0, promptFD: 2) },
                advise: { CredentialAdvice.valueWarning($0, module: moduleName, name: $1) })
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled module.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).enable(name) + "\n") }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop offering a module's tools; its files stay.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).disable(name) + "\n") }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Archive a module (its folder moves to modules/.archive).", aliases: ["rm", "uninstall"])
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).remove(name) + "\n") }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Return to the previous approved version, atomically.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).rollback(name) + "\n") }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a module's test file, start it, and make its smoke_test call.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws {
            let (text, ok) = try await ModulesCommand.open(global).test(name)
            Terminal.out(text + "\n")
            if !ok { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restart a module from the files on disk (hot reload).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).reload(name) + "\n") }
    }
}

/// `--yes`: every approval granted.
struct FixedApproval: ApprovalHandler {
    let decision: ApprovalDecision
    init(_ d: ApprovalDecision) { decision = d }
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision { decision }
}

/// Asks y/N on the terminal; without a terminal on stdin the answer is no (the caller exits 3).
struct TerminalApproval: ApprovalHandler {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision {
        var text = request.title + "\n"
        for d in request.details { text += "  \(d.label): \(d.value)\n" }
        Terminal.err(text)
        guard Terminal.stdinIsTTY else {
            Terminal.err("not approved: no terminal to ask (use --yes)\n")
            return .no
        }
        Terminal.err("Approve? [y/N] ")
        var line: [UInt8] = []
        var c: [UInt8] = [0]
        while Descriptor.read(0, into: &c) == 1 && c[0] != UInt8(ascii: "\n") { line.append(c[0]) }
        let answer = String(decoding: line, as: UTF8.self).lowercased()
        return answer == "y" || answer == "yes" ? .yes : .no
    }
}
