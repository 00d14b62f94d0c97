import ArgumentParser
import NexusCore
import NexusModules
import NexusVault
import NexusOrchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus modules ...`: the module registry from the command line (DESIGN §4.1). Each subcommand is a
/// thin shell over `ModuleCommands`, which `/modules` in the chat uses too.
struct ModulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modules",
        abstract: "List, install, upgrade, roll back and test modules (MCP servers).",
        subcommands: [List.self, Info.self, Install.self, Enable.self, Disable.self, Remove.self, Rollback.self, Test.self, Reload.self,
                      ModulesValidateCommand.self, Builds.self],
        defaultSubcommand: List.self
    )

    /// Opens the home and builds the module commands over it.
    static func open(_ global: GlobalOptions) throws -> ModuleCommands {
        let ctx = try global.openContext()
        return ModuleCommands.open(
            database: ctx.database, bus: ctx.bus, modulesDirectory: ctx.paths.modules, logsDirectory: ctx.paths.logs,
            builtinDirectory: BuiltinModules.locate(environment: ctx.environment),
            idleShutdownSeconds: ctx.config.modules.idleShutdownSeconds,
            callTimeoutSeconds: ctx.config.modules.callTimeoutSeconds, launcher: ModuleLaunchers.make(ctx))
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Installed and built-in modules with their health.")
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            Terminal.out(await (try ModulesCommand.open(global)).list() + "\n")
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about one module: files, versions, tools, health.")
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

                Installing shows the name, command, network hosts, credentials and sha256 and asks y/N; \
                --yes approves in scripts (without it, a script gets exit status 3).
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A module folder, or `mcp` followed by -- and a server command.") var source: String
        @Option(help: "Module name (for `mcp`).") var name: String?
        @Option(help: "Category folder (for `mcp`).") var category = "mcp"
        @Option(name: .customLong("module-version"), help: "Version recorded (for `mcp`).") var moduleVersion = "1.0.0"
        @Option(name: .customLong("allow"), help: "A host the server may reach (for `mcp`; repeatable).") var allow: [String] = []
        @Option(name: .customLong("credential"), help: "An environment variable the server needs from the vault (for `mcp`; repeatable).")
        var credentials: [String] = []
        @Flag(name: .shortAndLong, help: "Approve without asking.") var yes = false
        @Argument(parsing: .postTerminator, help: "The MCP server command after --.") var command: [String] = []

        func run() async throws {
            let source: ModuleInstaller.Source
            if self.source == "mcp" {
                guard let name else { throw ValidationError("`install mcp` needs --name NAME") }
                guard !command.isEmpty else { throw ValidationError("`install mcp` needs the server command after --") }
                source = .mcpCommand(
                    name: name, command: command, category: category, version: moduleVersion, networkAllow: allow,
                    credentialEnvs: credentials)
            } else {
                source = .folder(self.source)
            }
            let commands = try ModulesCommand.open(global)
            let approval: any ApprovalHandler = yes ? FixedApproval(.yes) : TerminalApproval()
            Terminal.out(try await commands.install(source, approval: approval) + "\n")
            try askForCredentials(commands)
        }

        /// After an install: asks for exactly the credentials the manifest declares, with its
        /// instructions (hidden input on a terminal); in a script, says how to set them later.
        func askForCredentials(_ commands: ModuleCommands) throws {
            let moduleName = name ?? (try? ModuleManifest.load(folder: self.source).name)
            guard let moduleName, let record = try commands.installer.registry.get(moduleName),
                let manifest = try? ModuleManifest.load(folder: record.path), !manifest.credentials.isEmpty
            else { return }
            guard Terminal.stdinIsTTY else {
                for c in manifest.credentials {
                    Terminal.out("credential wanted: \(moduleName) \(c.name) (\(c.env)) — set it with: nexus creds set \(moduleName) \(c.name)\n")
                }
                return
            }
            let ctx = try global.openContext()
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
            try CredentialCommands.promptAfterInstall(
                module: moduleName,
                declared: manifest.credentials.map { CredentialRequirement(name: $0.name, env: $0.env, instructions: $0.instructions ?? "") },
                store: store, say: { Terminal.err($0) },
                readSecret: { SecretInput.readLineWithoutEcho(fd: 0, prompt: $0, promptFD: 2) })
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
        static let configuration = CommandConfiguration(abstract: "Archive a module (its folder moves to modules/.archive).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).remove(name) + "\n") }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Return to the previous approved version, atomically.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws { Terminal.out(try await ModulesCommand.open(global).rollback(name) + "\n") }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a module's test file, then start it and list its tools.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var name: String
        func run() async throws {
            let (text, ok) = try await ModulesCommand.open(global).test(name)
            Terminal.out(text + "\n")
            if !ok { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restart a module from the files on disk (hot reload).")
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
        var c: UInt8 = 0
        while read(0, &c, 1) == 1 && c != UInt8(ascii: "\n") { line.append(c) }
        let answer = String(decoding: line, as: UTF8.self).lowercased()
        return answer == "y" || answer == "yes" ? .yes : .no
    }
}
