import NexusCore
import NexusStore

/// What `nexus creds set` and `/creds set` say after storing a value, so the command line and the chat warn
/// alike: a value that cannot be the real key, and a name the installed module does not declare.
///
/// Every stored value is redacted wherever it appears, and that is never relaxed (it is the vault's
/// boundary). So a placeholder such as "wrong" or "test", or a user name such as "admin", is then hidden in
/// every module reply, log line and model prompt that contains that word. That is said once, when the value
/// is stored, where the person can still change it; the value itself is never repeated.
public enum CredentialAdvice {
    /// Shorter than this, a value is no API key or token (those are 20 characters or more).
    public static let keyLength = 16
    /// Below this the redactor cannot hide a value at all (`CredentialCommands.shortValueWarning` says so).
    static let redactedFrom = 4

    /// The warnings for `value` stored as `module`/`name`, each a line ending in "\n"; empty when none.
    public static func valueWarning(_ value: [UInt8], module: String, name: String) -> String {
        spaceWarning(value, module: module, name: name) + wordWarning(value, module: module, name: name)
    }

    /// Whitespace at either end usually came with a paste: the module would send it as part of the key.
    static func spaceWarning(_ value: [UInt8], module: String, name: String) -> String {
        let blank: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        let starts = value.first.map { blank.contains($0) } ?? false
        let ends = value.last.map { blank.contains($0) } ?? false
        guard starts || ends else { return "" }
        let place = starts && ends ? "begins and ends" : starts ? "begins" : "ends"
        return "warning: this value \(place) with a space, tab or line break, which the module will send as part "
            + "of it; if that came with the paste, store it again without: nexus creds set \(module) \(name)\n"
    }

    /// A value too short for a key, or one everyday word: what redacting it everywhere will mean.
    static func wordWarning(_ value: [UInt8], module: String, name: String) -> String {
        guard value.count >= redactedFrom else { return "" }
        let shown = "«redacted:\(module)/\(name)»"
        let everyday = isEverydayWords(value)
        let short = value.count < keyLength && !namesAPerson(name)
        guard everyday || short else { return "" }
        let what =
            everyday
            ? "this value is everyday English, not a key or token"
            : "this value is \(value.count) characters long, too short for an API key or token"
        let each = everyday ? "use of that word" : "occurrence"
        let consequence =
            "nexus hides every stored value wherever it appears, so each \(each) in module output, logs and what "
            + "the model sees will read \(shown)"
        if namesAPerson(name) {
            return "note: \(consequence)\n"
        }
        return "warning: \(what); \(consequence). If it is a placeholder, store the real one: "
            + "nexus creds set \(module) \(name)\n"
    }

    /// A user name, login or password is often short or a word on purpose: only the consequence is said.
    static func namesAPerson(_ name: String) -> Bool {
        let n = name.lowercased()
        let person = ["user", "username", "login", "email", "account", "password", "passwd", "pass", "pin"]
        return person.contains { n.hasSuffix($0) }
    }

    /// One word people use every day ("wrong", "test", "Password"): letters only. A phrase of words
    /// ("correct-horse-battery-staple") is a passphrase, and only the whole phrase is ever hidden.
    static func isEverydayWords(_ value: [UInt8]) -> Bool {
        let letters = UInt8(ascii: "a")...UInt8(ascii: "z")
        guard value.allSatisfy({ letters.contains($0 | 0x20) }) else { return false }
        let terms = ToolTokenizer.terms(String(decoding: value, as: UTF8.self))
        return terms.count == 1 && terms.allSatisfy { EnglishWordFrequency.zipf(ofTerm: $0) != nil }
    }

    /// A credential the installed module does not declare is stored but never given to it: said at once,
    /// with the names it does declare (empty when it declares this one, or is not installed).
    public static func undeclaredWarning(module: String, name: String, database: Database) -> String {
        // A warning only: a module whose row or manifest cannot be read gets none.
        guard let record = try? ModuleRegistry(database: database).get(module), record.state != .archived,
            let manifest = try? ModuleManifest.load(folder: record.path)
        else { return "" }
        let declared = manifest.credentials.map(\.name)
        if declared.contains(where: { $0.lowercased() == name.lowercased() }) { return "" }
        let names = declared.isEmpty ? "none" : declared.joined(separator: ", ")
        return "warning: \(module) declares no credential named \(name) (it declares \(names)), so it will not "
            + "receive it; remove it with: nexus creds rm \(module) \(name)\n"
    }

    /// Why a credential may not be stored for `module` without `--force`: no module of that name is installed
    /// or built in (a typo would store a secret no module ever receives). Nil when it is known.
    public static func unknownModule(_ module: String, database: Database, environment: [String: String]) throws
        -> (message: String, hint: String)?
    {
        var known = try ModuleApprovalsRepository(db: database).moduleNames().map { (name: $0, category: "") }
        if let root = BuiltinModules.locate(environment: environment) { known += BuiltinModules.names(in: root) }
        guard !known.contains(where: { $0.name == module }) else { return nil }
        let suggestion =
            DidYouMean.suggestion(for: module, among: known.map(\.name))
            ?? known.first { $0.category == module || $0.name.contains(module) || module.contains($0.name) }?.name
        return (
            "no module named \(module) is installed or built in" + (suggestion.map { "; did you mean \($0)?" } ?? ""),
            (suggestion.map { "nexus creds set \($0) NAME, or " } ?? "")
                + "for a module you will install later: nexus creds set --force \(module) NAME "
                + "(see: nexus modules list)"
        )
    }

    /// All of them, as `creds set` prints them after "stored …". With `environment` (the chat's `/creds set`,
    /// which has no `--force`), a module nexus does not know is said too: stored, for a module of that name.
    public static func afterSet(
        _ value: [UInt8], module: String, name: String, database: Database, environment: [String: String]? = nil
    ) -> String {
        var unknown = ""
        // A warning only: a registry that cannot be read says nothing.
        if let environment,
            let (message, _) = try? unknownModule(module, database: database, environment: environment)
        {
            unknown =
                "warning: \(message); it is kept for a module of that name installed later; "
                + "if that was a typo, remove it: nexus creds rm \(module) \(name)\n"
        }
        return unknown + undeclaredWarning(module: module, name: name, database: database)
            + valueWarning(value, module: module, name: name)
    }
}
