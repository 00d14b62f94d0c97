import NexusCore
import NexusModules

/// A manifest's `smoke_test`: one read-only tool call NEXUS makes after installing a module, with the
/// user's credentials, to see the integration work for real (issue 14 "Live test").
///
///     "smoke_test": {"tool": "get_player", "arguments": {"tag": "#2PP"}}
public struct SmokeTest: Sendable, Equatable {
    public var tool: String
    public var arguments: JSONValue

    public init(tool: String, arguments: JSONValue) {
        self.tool = tool
        self.arguments = arguments
    }

    /// The manifest's smoke test, nil when it declares none or declares it badly (the gate's manifest
    /// check reports the shape; the build only skips the live test).
    public init?(manifest: ModuleManifest) {
        guard let s = manifest.raw["smoke_test"], let tool = s["tool"]?.stringValue, !tool.isEmpty else { return nil }
        let args = s["arguments"] ?? .object(JSONObject())
        guard case .object = args else { return nil }
        self.init(tool: tool, arguments: args)
    }
}
