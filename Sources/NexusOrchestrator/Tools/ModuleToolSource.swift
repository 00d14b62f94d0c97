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

    /// One line per module waiting for a credential: its tools appear once the person stores it.
    /// The names come from a module's manifest, which may be hostile: one that is not a plain word goes to the
    /// model as a pointer to `nexus modules info`, never as text a module chose.
    public func heldBack() async -> [String] {
        await host.modulesWaitingForCredentials().compactMap { w in
            guard Self.isPlainName(w.module) else { return nil }
            guard Self.isPlainName(w.credential) else {
                return "Module \(w.module) is installed but its tools are held back until the person stores its"
                    + " credential: `nexus modules info \(w.module)` shows which. You cannot do it for them."
            }
            return "Module \(w.module) is installed but its tools are held back until the person stores its credential"
                + " \"\(w.credential)\": they run `nexus creds set \(w.module) \(w.credential)` in a shell, or"
                + " `/creds set \(w.module) \(w.credential)` here. You cannot do it for them."
        }
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
