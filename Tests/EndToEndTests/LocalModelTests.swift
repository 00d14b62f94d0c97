import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The local default against the real llama.cpp server and the SmolLM2 model, when `make run` has
/// installed them (skipped with the reason otherwise): nexus starts the server itself, chats, stops it.
@Suite(.serialized) struct LocalModelEndToEnd {
    /// Where `make run` put the local model for this user, or NEXUS_TEST_LOCAL_MODEL.
    static var installed: String? {
        let env = HostEnvironment.current
        let root = env["NEXUS_TEST_LOCAL_MODEL"] ?? ((env["HOME"] ?? "/root") + "/.local/share/nexus/local-model")
        guard access(root + "/venv/bin/python", X_OK) == 0, access(root + "/model-path", R_OK) == 0 else { return nil }
        return root
    }

    @Test func noConfigAtAllChatsWithTheLocalModel() throws {
        try #require(NexusBinary.exists)
        guard let installed = Self.installed else {
            print("skipped: the local model is not installed (run `make run` once, or set NEXUS_TEST_LOCAL_MODEL)")
            return
        }
        let dir = TemporaryDirectory(prefix: "nexus-e2e-local")
        defer { dir.remove() }
        let home = dir.path + "/home"
        _ = Subprocess.run(["/bin/mkdir", "-p", home], environment: [:])
        _ = Subprocess.run(["/bin/ln", "-s", installed, home + "/local-model"], environment: [:])
        let r = NexusBinary.run(
            ["-p", "Say hello in one short sentence."],
            env: ["NEXUS_HOME": home, "XDG_CONFIG_HOME": dir.path + "/config"])
        #expect(r.status == 0, "stderr: \(r.stderr.suffix(800))")
        #expect(!r.stdout.trimmingCharacters.isEmpty, "the local model answered")
        #expect(r.stderr.contains("local model server"), "progress was reported: \(r.stderr)")
        // llama.cpp reports no usage while streaming: the ledger holds an estimate, marked "~", never 0.
        let cost = NexusBinary.run(
            ["--plain"], stdin: "/cost\n", env: ["NEXUS_HOME": home, "XDG_CONFIG_HOME": dir.path + "/config"])
        #expect(cost.stdout.contains(" call, ~") || cost.stdout.contains(" calls, ~"), "cost: \(cost.stdout)")
        #expect(!cost.stdout.contains("calls, ~0 in"), "cost: \(cost.stdout)")
    }
}

extension String {
    var trimmingCharacters: String { String(self.filter { !$0.isWhitespace }) }
}
