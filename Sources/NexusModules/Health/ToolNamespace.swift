/// How module tools are named for the model: `<module>__<tool>`, so two modules' tools never collide.
///
/// Provider APIs accept tool names matching `^[a-zA-Z0-9_-]{1,64}$`; other characters become `_`, long
/// names are cut, and a name that still collides gets a numeric suffix.
///
/// Plain Swift, no system calls: the tool picker's fuzz target (fuzz/run.sh) compiles it beside the picker's
/// sources. Matching `sensitive_tools` globs needs the C library and lives in ToolNamespace+Glob.swift.
public enum ToolNamespace {
    public static let separator = "__"
    public static let maxLength = 64

    public static func name(module: String, tool: String) -> String {
        let safe = String(
            String.UnicodeScalarView(
                tool.unicodeScalars.map { s -> Unicode.Scalar in
                    let ok =
                        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "_"
                        || s == "-"
                    return ok ? s : "_"
                }))
        return String((module + separator + safe).prefix(maxLength))
    }

    /// Namespaced names for a list of (module, tool) pairs, unique, in order. A clash takes the next free
    /// suffix `_2`, `_3`, … of its name, counted on from the last one that name took: a module listing thousands
    /// of names that namespacing makes equal ("a.b", "a_b") costs linear time, not a scan from `_2` for each.
    public static func assign(_ pairs: [(module: String, tool: String)]) -> [String] {
        var used: Set<String> = []
        var nextSuffix: [String: Int] = [:]
        var out: [String] = []
        for (m, t) in pairs {
            let base = name(module: m, tool: t)
            var n = base
            if used.contains(base) {
                var i = nextSuffix[base] ?? 2
                repeat {
                    let suffix = "_\(i)"
                    n = String(base.prefix(maxLength - suffix.count)) + suffix
                    i += 1
                } while used.contains(n)
                nextSuffix[base] = i
            }
            used.insert(n)
            out.append(n)
        }
        return out
    }
}
