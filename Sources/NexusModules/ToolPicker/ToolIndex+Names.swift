import NexusCore

/// How `ToolIndex` reads tool names: the app namespace and the tool part, the app's whole name, a tool's versions,
/// and app names that only look like English words with a suffix.
extension ToolIndex {
    /// The words of the tools' namespaces that end in "ly" (Namely, Insightly, Calendly): names, not adverbs.
    static func adverbLookingNames(_ tools: [ToolDefinition]) -> Set<String> {
        var out = Set<String>()
        for tool in tools {
            for word in ToolTokenizer.words(splitName(tool.name).namespace) where word.hasSuffix("ly") {
                out.insert(word)
            }
        }
        return out
    }

    /// The namespace's words as one (`last_fm` → "lastfm"), or nil when it is one word already.
    static func wholeName(_ namespace: String) -> String? {
        let words = ToolTokenizer.words(namespace)
        return words.count > 1 ? words.joined() : nil
    }

    /// A tool name without a trailing version: `get_forecast_v2` → "get_forecast", the same tool grown a version.
    static func unversioned(_ local: String) -> String {
        let bytes = Array(local.utf8)
        var i = bytes.count
        while i > 0, bytes[i - 1] >= 48, bytes[i - 1] <= 57 { i -= 1 }
        guard i < bytes.count, i >= 3, bytes[i - 1] == 118 || bytes[i - 1] == 86,
            bytes[i - 2] == 95 || bytes[i - 2] == 45
        else { return local }
        return String(decoding: bytes[..<(i - 2)], as: UTF8.self)
    }

    /// `github__list_issues` → ("github", "list_issues"); `mcp.server.tool` → ("mcp server", "tool").
    public static func splitName(_ name: String) -> (namespace: String, local: String) {
        if let r = name.ranges(of: "__").last {
            return (String(name[..<r.lowerBound]), String(name[r.upperBound...]))
        }
        if let dot = name.lastIndex(of: ".") ?? name.lastIndex(of: "/") {
            return (String(name[..<dot]), String(name[name.index(after: dot)...]))
        }
        return ("", name)
    }
}
