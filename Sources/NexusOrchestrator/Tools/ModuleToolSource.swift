import NexusCore
import NexusModules

/// Installed modules' tools, as the tool loop sees them: namespaced `<module>__<tool>` and called
/// through the module host (its breaker, rate limit, sensitive-tool approvals and timeouts).
///
/// With tracing on (`traceIdentity`), each call carries the W3C `traceparent` of its MCP client span in
/// `_meta` (the tracer derives the same span from the `toolCall` event): the module's own spans join the
/// turn's trace. That id is all a module learns of the trace, and nothing it answers reaches it.
public struct ModuleToolSource: ToolSource {
    public let host: ModuleHost
    public let traceIdentity: TraceIdentity?
    /// The last held-back note and what it was built from (`heldBack`).
    let heldBackNote = HeldBackNote()

    public init(host: ModuleHost, traceIdentity: TraceIdentity? = nil) {
        self.host = host
        self.traceIdentity = traceIdentity
    }

    public func tools() async -> [ToolDefinition] { await host.toolDefinitions() }

    /// The host's catalogue and its version: a new one whenever a module's tools change.
    public func versionedTools() async -> VersionedTools {
        let (version, tools) = await host.versionedToolDefinitions()
        return VersionedTools(version: version, tools: tools)
    }

    /// One line per enabled module waiting for a credential: its tools appear once the person stores it.
    /// The names come from a module's manifest, which may be hostile: one that is not a plain word goes to the
    /// model as a pointer to `nexus modules info`, never as text a module chose.
    ///
    /// The executor asks at each turn's step, so its cost must not grow with the modules installed. With none waiting
    /// (the usual case) nothing is read. Otherwise the note is keyed on the host's waiting list and the registry's
    /// lifecycle mark (`ModuleRegistry.lifecycleMark`, one indexed lookup, moved by every enable, disable, install
    /// and removal, from any process): while both stay, the last note is the answer and the module list is not read;
    /// when either moves (a module held back or released, disabled or enabled), the next ask reads the state of the
    /// waiting modules only.
    public func heldBack() async -> [String] {
        let waiting = await host.credentialWaits()
        guard !waiting.isEmpty else { return [] }
        // Unreadable: the note is built again from the registry at each ask (an unknown mark never matches).
        let mark = try? host.registry.lifecycleMark()
        if let mark, let lines = heldBackNote.lines(waiting: waiting, mark: mark) { return lines }
        // A note for the model only: a module whose row cannot be read now is left out of it.
        let enabled = waiting.filter { (try? host.registry.get($0.key))?.state == .enabled }
        let lines = enabled.sorted { $0.key < $1.key }.compactMap {
            Self.heldBackLine(module: $0.key, credential: $0.value)
        }
        if let mark { heldBackNote.keep(lines, waiting: waiting, mark: mark) }
        return lines
    }

    /// The model's line for `module` waiting for `credential`; none for a module whose name is not plain.
    static func heldBackLine(module: String, credential: String) -> String? {
        guard isPlainName(module) else { return nil }
        guard isPlainName(credential) else {
            return "Module \(module) is installed but its tools are held back until the person stores its"
                + " credential: `nexus modules info \(module)` shows which. You cannot do it for them."
        }
        return "Module \(module) is installed but its tools are held back until the person stores its credential"
            + " \"\(credential)\": they run `nexus creds set \(module) \(credential)` in a shell, or"
            + " `/creds set \(module) \(credential)` here. You cannot do it for them."
    }

    /// 1–64 ASCII letters, digits, `_`, `-` or `.`: safe to put in a prompt and a shell command.
    static func isPlainName(_ s: String) -> Bool {
        let u = s.utf8
        return !u.isEmpty && u.count <= 64
            && u.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                    || b == 0x2D || b == 0x2E
            }
    }

    public func owns(_ toolName: String) async -> Bool {
        guard toolName.contains(ToolNamespace.separator) else { return false }
        return await host.route(of: toolName) != nil
    }

    public func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
        // The turn comes with the turn's approval handler; outside a turn the call gets a random traceparent.
        let turn = (approval as? PublishedApproval)?.turn
        let traceparent = turn.flatMap { t in traceIdentity?.traceparent(turn: t, callID: call.id) }
        return await host.call(
            toolName: call.name, arguments: call.arguments, approval: approval, callID: call.id,
            traceparent: traceparent)
    }
}
