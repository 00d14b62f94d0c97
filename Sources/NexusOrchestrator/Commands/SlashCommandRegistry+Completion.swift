/// Tab completion: command names while the first word is typed, then the command's own candidates
/// for its first argument. Each completion is the whole line as it would read after accepting it.
extension SlashCommandRegistry {
    public func completions(prefix: String) -> [Completion] {
        guard let slash = prefix.firstIndex(where: { !$0.isWhitespace }), prefix[slash] == "/" else { return [] }
        let body = prefix[prefix.index(after: slash)...]
        guard let space = body.firstIndex(where: \.isWhitespace) else {
            return commandCompletions(String(body).lowercased())
        }
        guard let command = command(named: String(body[..<space])) else { return [] }
        let rest = body[space...].drop(while: \.isWhitespace)
        // Only the first argument is completed: once it is followed by whitespace, there is nothing to offer.
        guard !rest.contains(where: \.isWhitespace) else { return [] }
        let partial = String(rest)
        let head = "/" + String(body[..<space]) + " "
        var seen = Set<String>()
        return command.completeArgument(partial)
            .filter { $0.hasPrefix(partial) && seen.insert($0).inserted }
            .sorted()
            .map { Completion(text: head + $0, summary: "") }
    }

    /// Commands whose name (or, failing that, an alias) starts with `typed`.
    func commandCompletions(_ typed: String) -> [Completion] {
        commands.compactMap { c in
            guard let match = c.allNames.first(where: { $0.hasPrefix(typed) }) else { return nil }
            return Completion(text: "/" + match, summary: c.summary)
        }
    }
}
