import NexusCrypto
import NexusPOSIX

/// The text side of `nexus creds` and `/creds`, shared so the CLI, the REPL and the TUI say the same
/// things: the listing table, the slash-command dispatcher, and the post-install credential prompt.
public enum CredentialCommands {
    /// `list`: module, name, created, updated (UTC) — never values. `module`: the one asked about, if any.
    public static func formatList(_ items: [CredentialInfo], module: String? = nil) -> String {
        if items.isEmpty {
            return module.map { "no credentials stored for \($0) (all modules': nexus creds list)\n" }
                ?? "no credentials stored\n"
        }
        let rows =
            [("MODULE", "NAME", "CREATED", "UPDATED")]
            + items.map { ($0.module, $0.name, timestamp($0.createdAt), timestamp($0.updatedAt)) }
        let w0 = rows.map(\.0.count).max() ?? 0
        let w1 = rows.map(\.1.count).max() ?? 0
        let w2 = rows.map(\.2.count).max() ?? 0
        var out = ""
        for r in rows {
            out += r.0.padded(to: w0) + "  " + r.1.padded(to: w1) + "  " + r.2.padded(to: w2) + "  " + r.3 + "\n"
        }
        return out
    }

    /// `/creds list | set MODULE NAME | delete MODULE NAME | rotate-key`, for the REPL and TUI.
    /// `readSecret(prompt)` asks the person for a value without echo (nil: cancelled). `advise(module, name,
    /// value)` adds what `nexus creds set` says after storing (a name the module does not declare, a value
    /// that cannot be a real key). Returns the text to show.
    public static func runSlash(
        _ args: [String], store: CredentialStore, readSecret: (String) -> [UInt8]?,
        advise: (String, String, [UInt8]) -> String = { _, _, _ in "" }
    ) -> String {
        let actor = VaultActor.user(command: "/creds " + (args.first ?? "list"))
        do {
            switch args.first ?? "list" {
            case "list":
                let module = args.count > 1 ? args[1] : nil
                return formatList(try store.list(module: module), module: module)
            case "set" where args.count == 3:
                try CredentialStore.validate(module: args[1], name: args[2])
                guard var value = readSecret("Value for \(args[1])/\(args[2]): ") else { return "cancelled\n" }
                defer { wipe(&value) }
                let created = try store.set(module: args[1], name: args[2], value: value, actor: actor)
                return "\(created ? "stored" : "replaced") \(args[1])/\(args[2])\n" + shortValueWarning(value)
                    + advise(args[1], args[2], value)
            case "delete" where args.count == 3, "rm" where args.count == 3, "remove" where args.count == 3:
                try store.delete(module: args[1], name: args[2], actor: actor)
                return "deleted \(args[1])/\(args[2])\n"
            case "rotate-key" where store.keySource == store.keys.keyFile.path:
                let n = try store.rotateKey(to: .keyFile, actor: actor)
                return "re-sealed \(n) credential\(n == 1 ? "" : "s") with a new key in \(store.keys.keyFile.path)\n"
            case "rotate-key":
                return "the vault key comes from \(store.keySource); rotate it with: nexus creds rotate-key --help\n"
            default:
                return "usage: /creds [list [MODULE] | set MODULE NAME | delete MODULE NAME | rotate-key]\n"
            }
        } catch {
            return "error: \(error.userMessage)\n" + (error.hint.map { "  hint: \($0)\n" } ?? "")
        }
    }

    /// After a module install: asks for exactly the credentials its manifest declares, showing each one's
    /// instructions, and stores the answers. Already-stored names are kept; an empty answer skips one.
    /// `advise(value, name)` is what `creds set` says about a value that cannot be a real key.
    /// Returns the names stored.
    @discardableResult
    public static func promptAfterInstall(
        module: String, declared: [CredentialRequirement], store: CredentialStore,
        say: (String) -> Void, readSecret: (String) -> [UInt8]?,
        advise: ([UInt8], String) -> String = { _, _ in "" }
    ) throws(VaultError) -> [String] {
        guard !declared.isEmpty else { return [] }
        let existing = Set(try store.list(module: module).map(\.name))
        var stored: [String] = []
        say("Module \(module) needs \(declared.count) credential\(declared.count == 1 ? "" : "s").\n")
        for req in declared {
            if existing.contains(req.name) {
                say("  \(req.name) (\(req.env)): already stored; keeping it\n")
                continue
            }
            if !req.instructions.isEmpty { say("  \(req.name) (\(req.env)): \(req.instructions)\n") }
            guard var value = readSecret("  \(req.name): "), !value.isEmpty else {
                say("  skipped; set it later with: nexus creds set \(module) \(req.name)\n")
                continue
            }
            defer { wipe(&value) }
            try store.set(module: module, name: req.name, value: value, actor: .user(command: "module install"))
            stored.append(req.name)
            say(shortValueWarning(value) + advise(value, req.name))
        }
        return stored
    }

    /// A note for values the redactor cannot safely scrub.
    public static func shortValueWarning(_ value: [UInt8]) -> String {
        value.count < RedactionForms.minimumLength
            ? "warning: values shorter than \(RedactionForms.minimumLength) bytes cannot be redacted from output\n" : ""
    }

    static func wipe(_ v: inout [UInt8]) { Sodium.wipe(&v) }

    /// `2026-11-22 03:21:07Z`.
    static func timestamp(_ t: Double) -> String {
        CalendarTime(utc: Int(t)).formatted() + "Z"
    }
}

/// One credential a module's manifest declares: its name in the vault, the environment variable its
/// process reads, and how to obtain it (shown when asking).
public struct CredentialRequirement: Sendable, Equatable {
    public var name: String
    public var env: String
    public var instructions: String

    public init(name: String, env: String, instructions: String) {
        self.name = name
        self.env = env
        self.instructions = instructions
    }
}
