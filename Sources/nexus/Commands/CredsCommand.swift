import ArgumentParser
import NexusCore
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusStore
import NexusVault

/// `nexus creds`: the vault from the command line (DESIGN §4.1). Values are read without echo from a
/// terminal or from a pipe, never from arguments (which land in shell history and `ps`).
struct CredsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "creds",
        abstract: "Store, list, delete and rotate module credentials in the encrypted vault.",
        discussion: """
            The vault key comes from MODULE_ENCRYPTION_KEY (32 bytes as hex or base64), else from a \
            passphrase (after `nexus creds unlock` set one up), else from vault.key in the config directory \
            (created on first use, mode 0600).
            """,
        subcommands: [Set.self, List.self, Delete.self, Bind.self, RotateKey.self, Unlock.self]
    )

    /// Opens the vault with the keys this process may use; asks for a passphrase on the terminal when needed.
    static func openVault(_ ctx: NexusContext, stdinCarriesValue: Bool) throws -> CredentialStore {
        let keys = VaultKeys(
            environment: ctx.environment, configDir: ctx.paths.configDir,
            passphrase: {
                guard
                    var pw = SecretInput.readPassphrase(
                        prompt: "Vault passphrase: ", stdinCarriesValue: stdinCarriesValue)
                else { return nil }
                return VaultKeys.passphraseBuffer(wiping: &pw)
            })
        return try CredentialStore.open(database: ctx.database, keys: keys, bus: ctx.bus)
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a credential (typed without echo, or piped on stdin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The module that will receive it.") var module: String
        @Argument(help: "The credential's name in the module's manifest (case is kept).") var name: String
        @Flag(help: "Store it even though no module of that name is installed or built in (bound at its first use).")
        var force = false

        func run() async throws {
            try CredentialStore.validate(module: module, name: name)
            let ctx = try global.openContext()
            if !force { try CredsCommand.requireKnownModule(module, ctx) }
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: !Terminal.stdinIsTTY)
            var value = SecretInput.readValue(prompt: "Value for \(module)/\(name): ")
            defer { for i in value.indices { value[i] = 0 } }
            let created = try store.set(module: module, name: name, value: value, actor: .user(command: "creds set"))
            Terminal.out("\(created ? "stored" : "replaced") \(module)/\(name)\n")
            Terminal.err(CredentialCommands.shortValueWarning(value))
            Terminal.err(CredentialAdvice.afterSet(value, module: module, name: name, database: ctx.database))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored credentials: names and dates, never values.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this module's credentials.") var module: String?

        func run() async throws {
            let ctx = try global.openContext()
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
            Terminal.out(CredentialCommands.formatList(try store.list(module: module), module: module))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a stored credential.", aliases: ["rm", "remove"])
        @OptionGroup var global: GlobalOptions
        @Argument var module: String
        @Argument var name: String

        func run() async throws {
            try CredentialStore.validate(module: module, name: name)
            let ctx = try global.openContext()
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
            try store.delete(module: module, name: name, actor: .user(command: "creds delete"))
            Terminal.out("deleted \(module)/\(name)\n")
        }
    }

    struct Bind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a module's stored credentials to its currently approved files.",
            discussion: """
                Credentials are bound to the approved files of the module they were stored for, and follow \
                the upgrades and rollbacks you approve. After a module was removed and installed again (or \
                replaced under the same name), its old credentials stay withheld until you run this.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Module name.") var module: String

        func run() async throws {
            let ctx = try global.openContext()
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
            let n = try store.bind(module: module, actor: .user(command: "creds bind"))
            Terminal.out("bound \(n) credential\(n == 1 ? "" : "s") of \(module) to its approved files\n")
        }
    }

    /// Refuses a module name nexus does not know (installed or built in), suggesting the closest one.
    static func requireKnownModule(_ module: String, _ ctx: NexusContext) throws {
        guard
            let (message, hint) = try CredentialAdvice.unknownModule(
                module, database: ctx.database, environment: ctx.environment)
        else { return }
        throw NexusError(message, hint: hint, exit: .usage)
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Re-encrypt every credential under a new key, in one transaction.",
            discussion: """
                By default a new random key replaces vault.key. With --new-key-env VAR the new key is read \
                from that environment variable (then set MODULE_ENCRYPTION_KEY to it); with --passphrase \
                it is derived from a new passphrase (Argon2id). An interrupted rotation leaves the old key working.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp("Read the new key (hex or base64) from this environment variable.", valueName: "var"))
        var newKeyEnv: String?
        @Flag(help: "Derive the new key from a passphrase (asked twice on a terminal, or read from stdin).")
        var passphrase = false
        @Flag(help: .hidden) var insecureFastKdf = false

        func validate() throws {
            if newKeyEnv != nil && passphrase {
                throw ValidationError("--new-key-env and --passphrase exclude each other")
            }
        }

        func run() async throws {
            let ctx = try global.openContext()
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: passphrase && !Terminal.stdinIsTTY)
            let actor = VaultActor.user(command: "creds rotate-key")
            let count: Int
            if let variable = newKeyEnv {
                guard let text = ctx.environment[variable], !text.isEmpty else {
                    throw NexusError(
                        "--new-key-env: \(variable) is not set", hint: "export \(variable)=… first", exit: .usage)
                }
                count = try store.rotateKey(
                    to: .given(try MasterKey.parse(text, origin: variable), label: variable), actor: actor)
                Terminal.out(
                    "re-sealed \(count) credential\(count == 1 ? "" : "s"); set MODULE_ENCRYPTION_KEY to the value of \(variable)\n"
                )
                return
            }
            if passphrase {
                let pw = try CredsCommand.newPassphrase()
                count = try store.rotateKey(
                    to: .passphrase(pw, limits: insecureFastKdf ? .minimum : .moderate), actor: actor)
                Terminal.out("re-sealed \(count) credential\(count == 1 ? "" : "s") under the new passphrase\n")
                return
            }
            count = try store.rotateKey(to: .keyFile, actor: actor)
            Terminal.out(
                "re-sealed \(count) credential\(count == 1 ? "" : "s") with a new key in \(ctx.paths.configDir)/vault.key\n"
            )
            if ctx.environment[VaultKeys.environmentVariable].map({ !$0.isEmpty }) == true {
                Terminal.warn("MODULE_ENCRYPTION_KEY is still set and would override vault.key; unset it")
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the vault passphrase, or protect the vault with one (Argon2id).",
            discussion: """
                On a passphrase vault this checks the passphrase (typed without echo, or piped). On a vault \
                sealed with a key file or MODULE_ENCRYPTION_KEY it sets a passphrase up: every credential is \
                re-encrypted under a key derived from it with Argon2id (MODERATE limits, random salt).
                """)
        @OptionGroup var global: GlobalOptions
        @Flag(help: .hidden) var insecureFastKdf = false

        func run() async throws {
            let ctx = try global.openContext()
            if CredentialStore.isPassphraseMode(ctx.database) && ctx.environment[VaultKeys.environmentVariable] == nil {
                let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
                let n = try store.list().count
                Terminal.out("vault unlocked: \(n) credential\(n == 1 ? "" : "s")\n")
                return
            }
            let store = try CredsCommand.openVault(ctx, stdinCarriesValue: false)
            Terminal.err("The vault is sealed with \(store.keySource). Choose a passphrase to seal it with instead.\n")
            let pw = try CredsCommand.newPassphrase()
            let n = try store.rotateKey(
                to: .passphrase(pw, limits: insecureFastKdf ? .minimum : .moderate),
                actor: .user(command: "creds unlock"))
            Terminal.out("vault now sealed with a passphrase: \(n) credential\(n == 1 ? "" : "s") re-encrypted\n")
            if FileSystem.exists(ctx.paths.configDir + "/vault.key") {
                Terminal.err(
                    "note: \(ctx.paths.configDir)/vault.key no longer opens the vault; delete it once no backup needs it\n"
                )
            }
        }
    }

    /// A new passphrase: typed twice without echo on a terminal, or read once from stdin.
    static func newPassphrase() throws -> SecureBuffer {
        let first: [UInt8]?
        if Terminal.stdinIsTTY {
            first = SecretInput.readLineWithoutEcho(fd: 0, prompt: "New vault passphrase: ", promptFD: 2)
            let again = SecretInput.readLineWithoutEcho(fd: 0, prompt: "Repeat it: ", promptFD: 2)
            guard first == again else {
                throw NexusError("the two passphrases differ", hint: "run the command again", exit: .usage)
            }
        } else {
            first = SecretInput.readAll(fd: 0)
        }
        guard var bytes = first, let buffer = VaultKeys.passphraseBuffer(wiping: &bytes) else {
            throw VaultError.emptyPassphrase
        }
        return buffer
    }
}
