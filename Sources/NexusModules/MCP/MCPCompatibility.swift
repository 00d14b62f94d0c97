/// Servers written for the `mcp` Python package 1.x that crash on their own under 2.x (FastMCP was renamed,
/// the low-level `Server` lost its decorators). pip installs the newest `mcp` unless the server pins it, so
/// a new user meets this as "process ended" with a traceback; nexus names the cause and the way out.
public enum MCPCompatibility {
    public static let mcp2Sentence = "this server is incompatible with mcp 2.x: install it with mcp<2"

    /// What the server's stderr says about an SDK mismatch, or nil when it shows no known signature.
    public static func knownProblem(stderr: String) -> String? {
        // mcp 2.x's stub for the removed module says so itself.
        if stderr.contains("This is mcp 2.x") || stderr.contains("No module named 'mcp.server.fastmcp'") {
            return mcp2Sentence
        }
        // 1.x's `McpError` is `MCPError` in 2.x (mcp-server-math).
        if stderr.contains("cannot import name 'McpError' from 'mcp") { return mcp2Sentence }
        // The 1.x low-level decorators (`@server.list_tools()` and friends) are gone in 2.x.
        let decorators = [
            "list_tools", "call_tool", "list_resources", "read_resource", "list_prompts", "get_prompt",
            "list_resource_templates", "progress_notification", "set_logging_level", "completion",
        ]
        for d in decorators where stderr.contains("'Server' object has no attribute '\(d)'") {
            return mcp2Sentence
        }
        return nil
    }
}
