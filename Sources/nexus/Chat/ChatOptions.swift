import NexusREPL

/// What `nexus chat` (the default command) was asked to do, independent of how the arguments were parsed.
///
/// Why a plain struct: chatting is what `nexus` is started for, and ArgumentParser's reflection and
/// protocol-conformance lookups cost over a millisecond of a ~10 ms start-up. `parseFast` reads the usual
/// chat arguments directly and gives up on anything it does not fully understand (help, an unknown or
/// malformed option, a subcommand), which then goes through ArgumentParser as before. A test checks the
/// two agree on every argument vector the fast path accepts.
struct ChatOptions: Equatable, Sendable {
    var home: String?
    var config: String?
    /// `-p PROMPT`: one turn; `-` reads the prompt from stdin.
    var prompt: String?
    var json = false
    var approve: LineInteraction.Policy = .ask
    var yes = false
    var plain = false
    /// `--admin-port N`: serve the admin API and /metrics on 127.0.0.1:N with this session (issue 16).
    var adminPort: Int?

    /// The approval policy in effect: `--yes` wins over `--approve`.
    var policy: LineInteraction.Policy { yes ? .yes : approve }

    /// Parses `args` (without the program name) when every one is a chat option written in a form
    /// ArgumentParser reads the same way; nil otherwise. Repeated options keep the last value, as
    /// ArgumentParser does.
    static func parseFast(_ args: [String]) -> ChatOptions? {
        var o = ChatOptions()
        var i = 0
        /// The value of an option: `--name=value` inline or the next argument. A next argument that looks
        /// like an option is left to ArgumentParser, whose rules for it are subtler.
        func value(_ inline: Substring?) -> String? {
            if let inline { return String(inline) }
            guard i + 1 < args.count else { return nil }
            let next = args[i + 1]
            if next.hasPrefix("-") && next != "-" { return nil }
            i += 1
            return next
        }
        while i < args.count {
            let arg = args[i]
            let name: Substring
            let inline: Substring?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = arg[..<eq]
                inline = arg[arg.index(after: eq)...]
            } else {
                name = Substring(arg)
                inline = nil
            }
            switch name {
            case "--home":
                guard let v = value(inline) else { return nil }
                o.home = v
            case "--config":
                guard let v = value(inline) else { return nil }
                o.config = v
            case "--approve":
                guard let v = value(inline), let policy = LineInteraction.Policy(rawValue: v) else { return nil }
                o.approve = policy
            case "--admin-port":
                guard let v = value(inline), let n = Int(v) else { return nil }
                o.adminPort = n
            case "-p":
                guard let v = value(nil) else { return nil }
                o.prompt = v
            case "--json" where inline == nil: o.json = true
            case "--yes" where inline == nil: o.yes = true
            case "--plain" where inline == nil: o.plain = true
            default: return nil
            }
            i += 1
        }
        return o
    }
}
