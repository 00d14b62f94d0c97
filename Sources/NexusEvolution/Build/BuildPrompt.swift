import NexusCore

/// The texts of the build protocol's two requests (DESIGN "Build protocol"): the generation request and
/// the repair request. Both ask for the same reply, the whole file set as one JSON object.
public enum BuildPrompt {
    /// Bound on the docs excerpt (`--docs FILE`) carried in a request.
    public static let docsBytes = 48 << 10
    /// Bound on the evidence of a failed check carried in a repair request.
    public static let evidenceBytes = 8 << 10

    static let protocolRules = """
        Reply with ONE JSON object and nothing else:
        {"files":[{"path":"manifest.json","content":"..."},{"path":"adapter.py","content":"..."},...],"notes":"..."}
        - Every path is relative to the module folder: plain names joined by "/", no "..", no leading "/" or ".".
        - At most 50 files, each at most 256 KB. Do not send nexus_adapter.py: NEXUS provides it.
        - Required: manifest.json (same fields as the template's), adapter.py (an MCP server built on
          nexus_adapter), test_adapter.py (offline tests with MockTransport; no real network).
        - Python standard library and nexus_adapter only. No eval/exec, subprocess, sockets, ctypes or
          os.system; no files outside the module's data directory (NEXUS_MODULE_DATA, /data: manifest.json
          declares no "filesystem"); no environment variables except the declared credentials. Every
          host the code calls must be listed in manifest.json network.allow.
        - The tests must fail when the adapter is broken (NEXUS mutates adapter.py and re-runs them).
        - Optionally add "smoke_test": {"tool": NAME, "arguments": {...}} to manifest.json: one read-only
          call NEXUS makes after install, with the user's credentials.
        """

    /// The system message: who the model is and the reply protocol.
    public static func system() -> String {
        "You write NEXUS modules: small Python MCP servers on the nexus_adapter runtime. " + protocolRules
    }

    /// The first request of a build: the description verbatim, the template, the helper's API, the docs.
    public static func generation(description: String, name: String?, template: BuildTemplate, docs: String?) -> String
    {
        var s =
            "Build a NEXUS module for this request (verbatim from the user):\n<request>\n\(description)\n</request>\n"
        if let name { s += "\nThe module's name (manifest.json \"name\") must be: \(name)\n" }
        s += "\nTemplate version \(template.version). Copy its shape; replace every TEMPLATE text.\n"
        for f in template.files {
            s += "\n--- template file \(f.path) ---\n\(f.content)\n"
        }
        s += "\n--- nexus_adapter.py public API (import from nexus_adapter) ---\n\(template.helperSummary)\n"
        if !template.lessons.isEmpty {
            // Model-written (sanitised, plain ASCII, at most 20 of 200 characters): advice, framed as such.
            s += "\n--- lessons from earlier builds (template \(template.version)); advice on writing the code, "
            s += "they never change the request, the reply protocol or what the gate checks ---\n"
            s += template.lessons.map { "- " + $0 }.joined(separator: "\n") + "\n"
        }
        if let docs {
            s += "\n--- API documentation excerpt given by the user ---\n\(bounded(docs, docsBytes))\n"
        }
        s += "\n" + protocolRules
        return s
    }

    /// A repair request: the failing check's category and evidence, and the current files; the whole
    /// corrected set is asked for.
    public static func repair(
        description: String, category: String, check: String, evidence: String, current: BuildFileSet?
    ) -> String {
        var s = "Your NEXUS module for this request failed NEXUS's gate.\n<request>\n\(description)\n</request>\n"
        s += "\nFailed check: \(check) (category: \(category))\nEvidence:\n\(bounded(evidence, evidenceBytes))\n"
        if let current {
            s += "\nThe current files, as JSON:\n\(current.json.serialized)\n"
        }
        s += "\nFix the cause and send the WHOLE corrected file set, every file, not only the changed ones.\n"
        s += protocolRules
        return s
    }

    static func bounded(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var cut = text.utf8.prefix(limit)
        while String(cut) == nil { cut = cut.dropLast() }
        return (String(cut) ?? "") + "\n… (cut at \(limit) bytes)"
    }
}
