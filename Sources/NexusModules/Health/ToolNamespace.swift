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

    /// Namespaced names for a list of (module, tool) pairs, unique, in order.
    public static func assign(_ pairs: [(module: String, tool: String)]) -> [String] {
        var used: Set<String> = []
        var out: [String] = []
        for (m, t) in pairs {
            var n = name(module: m, tool: t)
            var i = 2
            while used.contains(n) {
                let suffix = "_\(i)"
                n = String(name(module: m, tool: t).prefix(maxLength - suffix.count)) + suffix
                i += 1
            }
            used.insert(n)
            out.append(n)
        }
        return out
    }
}
