import NexusCore

/// `modules test` makes the manifest's `smoke_test` call too: the live test a build ran after installing,
/// which a build that ended degraded points to ("set it, then run: nexus modules test NAME"). Passing it
/// lifts the degraded mark that test left; nothing else changes a module's health here.
extension ModuleCommands {
    /// The smoke test's line for `modules test`, and whether it passed; nil when the manifest declares none.
    func liveTest(_ name: String, manifest: ModuleManifest) async -> (line: String, passed: Bool)? {
        guard let smoke = manifest.raw["smoke_test"], let tool = smoke["tool"]?.stringValue, !tool.isEmpty else {
            return nil
        }
        let arguments = smoke["arguments"] ?? .object(JSONObject())
        let redact = installer.registry.redact
        do {
            let r = try await host.callTool(module: name, tool: tool, arguments: arguments, approval: NoApproval())
            if r.isError { return ("live test \(tool): FAILED: \(Self.firstLine(redact(r.text)))", false) }
        } catch {
            return ("live test \(tool): FAILED: \(Self.firstLine(redact(error.userFacingDescription)))", false)
        }
        do { try installer.registry.clearLiveTestFailure(name) } catch {
            return ("live test \(tool): ok (its health could not be recorded: \(error.userFacingDescription))", true)
        }
        return ("live test \(tool): ok", true)
    }

    static func firstLine(_ text: String) -> String {
        String((text.split(whereSeparator: \.isNewline).first ?? "").prefix(200))
    }
}

/// A smoke test is a read-only call: one that needs a person's yes is not made from `modules test`.
struct NoApproval: ApprovalHandler {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision { .no }
}
