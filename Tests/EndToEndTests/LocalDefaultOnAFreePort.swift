import NexusTesting
import Testing

/// A config whose only provider is the local default on a free loopback port. With no config, nexus talks to
/// whatever listens on 127.0.0.1:8080 (a developer's llama.cpp, a server another run left), so a spec about
/// the local default would pass or fail by the machine's state.
enum LocalDefaultOnAFreePort {
    /// Writes `name` in `dir` and returns its path.
    static func config(in dir: TemporaryDirectory, name: String = "nexus-local.toml") throws -> String {
        let port = try #require(LoopbackHTTP.freePort())
        return dir.write(
            name,
            """
            [providers.local]
            kind = "openai"
            base_url = "http://127.0.0.1:\(port)/v1"
            autostart = true
            models = ["smollm2"]
            """)
    }
}
