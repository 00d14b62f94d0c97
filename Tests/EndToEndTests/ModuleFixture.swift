import NexusTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A hand-written test module: the manifest's seed fields filled in once, so each test names only what
/// makes its module different (DESIGN §4.3), and the folder written in one call.
enum ModuleFixture {
    /// Writes `NAME-src/manifest.json` and `NAME-src/adapter.py` in `dir`; returns the folder.
    static func folder(in dir: TemporaryDirectory, name: String, manifest: String, adapter: String) -> String {
        let folder = dir.path + "/\(name)-src"
        mkdir(folder, 0o755)
        dir.write("\(name)-src/manifest.json", manifest)
        dir.write("\(name)-src/adapter.py", adapter)
        return folder
    }

    static func manifest(
        name: String, displayName: String, description: String, className: String, requiresKey: Bool = false,
        keyInstructions: String = "", credentials: String = "[]", sensitiveTools: String = "[]"
    ) -> String {
        """
        {
          "name": "\(name)", "version": "1.0.0", "category": "testing", "platform": "local",
          "display_name": "\(displayName)", "description": "\(description)",
          "entry_point": "adapter.py", "class_name": "\(className)", "requires_api_key": \(requiresKey),
          "api_key_instructions": "\(keyInstructions)", "python_dependencies": [], "health_status": "healthy",
          "created_by": "test", "created_at": "2026-11-22T00:00:00Z", "build_provider": "hand-written",
          "validation_results": {"syntax_check": "pass", "unit_tests": "pass", "integration_test": "pass"},
          "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]},
          "credentials": \(credentials), "network": {"allow": []}, "rate_limit_per_minute": 600,
          "sensitive_tools": \(sensitiveTools)
        }
        """
    }

    /// `echo`: one tool, `say`, that says back its text; `marker` goes into a comment, so two markers are two
    /// different sets of files.
    static func echo(in dir: TemporaryDirectory, marker: String = "first") -> String {
        folder(
            in: dir, name: "echo",
            manifest: manifest(
                name: "echo", displayName: "Echo", description: "Says back what it is given.", className: "Echo"),
            adapter: """
                # \(marker)
                from nexus_adapter import BaseAdapter, register_adapter, serve, tool


                @register_adapter
                class Echo(BaseAdapter[dict]):
                    name = "echo"

                    @tool
                    def say(self, text: str) -> str:
                        \"\"\"Says the text back.\"\"\"
                        return text

                    @tool(description="Says the text back twice.\\n\\nA second paragraph, as MCP servers send.")
                    def say_twice(self, text: str) -> str:
                        return text + text


                if __name__ == "__main__":
                    serve(Echo)
                """)
    }
}
