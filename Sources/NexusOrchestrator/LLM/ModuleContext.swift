import NexusCore

/// A model call's `module_context` (DESIGN §4.4, issue 16): the installed modules whose tool results are in
/// the prompt it sends, so spending can be charged to them.
///
/// Precisely: the distinct `<module>` prefixes of the tool-result messages in the request whose tool
/// (`<module>__<tool>`) is among the tools offered with that request, sorted and joined with `,`
/// (`"github,time"`); nil when there are none. Results still in the window from earlier turns count (they
/// are in the prompt and are paid for again). A result of a tool the request does not offer is left out, so
/// a model that invents `anything__x` cannot invent a module; at most 8 names are kept. Calls made for a
/// build keep their own `build:<id>`.
enum ModuleContext {
    static let maxModules = 8

    static func of(_ request: LLMRequest) -> String? {
        let offered = Set(request.tools.map(\.name))
        var modules = Set<String>()
        for m in request.messages where m.role == .tool {
            guard let name = m.toolName, offered.contains(name), let r = name.firstRange(of: "__") else { continue }
            let module = String(name[..<r.lowerBound])
            if !module.isEmpty { modules.insert(module) }
        }
        guard !modules.isEmpty else { return nil }
        return modules.sorted().prefix(maxModules).joined(separator: ",")
    }
}
