import ArgumentParser

/// `nexus --config FILE modules list` and `nexus --home DIR budget`: a user who puts the shared options first,
/// as most tools allow, got "Unexpected argument 'budget'" with the chat's usage. The options belong to the
/// subcommands (DESIGN §4.1), so leading `--home`/`--config` are moved to just after the subcommand path
/// (`modules list --config FILE`), where that subcommand reads them. Anything else is left as it was.
enum LeadingOptions {
    static let names = ["--home", "--config"]

    /// `args` (without the program name) with leading `--home`/`--config` moved after the subcommand path;
    /// `args` itself when they are not followed by a subcommand.
    static func hoisted(_ args: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < args.count {
            if names.contains(args[i]), i + 1 < args.count {
                leading += [args[i], args[i + 1]]
                i += 2
            } else if names.contains(where: { args[i].hasPrefix($0 + "=") }) {
                leading.append(args[i])
                i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return args }
        var command: any ParsableCommand.Type = NexusCommand.self
        var path: [String] = []
        while i < args.count, let sub = subcommand(of: command, named: args[i]) {
            path.append(args[i])
            command = sub
            i += 1
        }
        guard !path.isEmpty else { return args }
        return path + leading + args[i...]
    }

    static func subcommand(of command: any ParsableCommand.Type, named word: String) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { sub in
            sub._commandName == word || sub.configuration.aliases.contains(word)
        }
    }
}
