/// Names in a generated module: tools (valid MCP names, de-duplicated), arguments and credentials, all
/// snake_case so the model sees one style whatever the spec's authors used.
enum OpenAPINaming {
    /// `getPlayerByTag` → `get_player_by_tag`, `X-API-Key` → `x_api_key`; never empty, starts with a letter.
    static func snake(_ s: String, maxLength: Int = 64) -> String {
        var out = ""
        var prev: Character = "_"
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                let next = i + 1 < chars.count ? chars[i + 1] : "_"
                let boundary =
                    c.isUppercase && (prev.isLowercase || prev.isNumber || (prev.isUppercase && next.isLowercase))
                if boundary, !out.isEmpty, out.last != "_" { out.append("_") }
                out += c.lowercased()
            } else if !out.isEmpty, out.last != "_" {
                out.append("_")
            }
            prev = c
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { out = "op" }
        if let f = out.first, !f.isLetter { out = "op_" + out }
        if out.count > maxLength {
            out = String(out.prefix(maxLength))
            while out.hasSuffix("_") { out.removeLast() }
        }
        return out
    }

    /// A tool name for an operation without an operationId: `GET /players/{tag}/battles` → `get_players_tag_battles`.
    static func fromMethodAndPath(_ method: String, _ path: String) -> String {
        snake(method.lowercased() + "_" + path.replacing("{", with: "").replacing("}", with: ""))
    }

    /// `name`, or `name_2`, `name_3`... when taken; registers the result.
    static func unique(_ name: String, in taken: inout Set<String>) -> String {
        var candidate = name
        var n = 2
        while taken.contains(candidate) {
            let suffix = "_\(n)"
            candidate = String(name.prefix(64 - suffix.count)) + suffix
            n += 1
        }
        taken.insert(candidate)
        return candidate
    }

    /// The environment variable a credential is passed in: `PETSTORE_API_KEY`.
    static func env(module: String, credential: String) -> String {
        (module + "_" + credential).uppercased()
    }
}
