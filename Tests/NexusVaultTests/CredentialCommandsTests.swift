import NexusCore
import NexusStore
import NexusVault
import Testing

@Suite struct CredentialCommandsTests {
    @Test func afterInstallThePromptAsksForExactlyWhatTheManifestDeclaresWithItsInstructions() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        try store.set(module: "clash", name: "existing", value: "already-there", actor: .user(command: "t"))
        var said: [String] = []
        var asked: [String] = []
        let answers: [String: String] = ["  api_key: ": "the-api-key-value", "  region: ": ""]
        let stored = try CredentialCommands.promptAfterInstall(
            module: "clash",
            declared: [
                .init(name: "api_key", env: "CLASH_API_KEY", instructions: "Create one at developer.example.com"),
                .init(name: "existing", env: "EXISTING", instructions: "never asked"),
                .init(name: "region", env: "CLASH_REGION", instructions: "Optional region code"),
            ], store: store, say: { said.append($0) },
            readSecret: { prompt in
                asked.append(prompt)
                return answers[prompt].map { Array($0.utf8) }
            })
        #expect(stored == ["api_key"])
        #expect(asked == ["  api_key: ", "  region: "])
        #expect(said.contains("  api_key (CLASH_API_KEY): Create one at developer.example.com\n"))
        #expect(said.contains("  existing (EXISTING): already stored; keeping it\n"))
        #expect(said.contains("  skipped; set it later with: nexus creds set clash region\n"))
        #expect(
            try store.get(module: "clash", name: "api_key", actor: .user(command: "t"))
                == Array("the-api-key-value".utf8))
        #expect(try store.list(module: "clash").map(\.name) == ["api_key", "existing"])
    }

    @Test func slashCredsMirrorsTheCommandLine() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        #expect(
            CredentialCommands.runSlash(["list"], store: store, readSecret: { _ in nil }) == "no credentials stored\n")
        #expect(
            CredentialCommands.runSlash(["list", "nosuch"], store: store, readSecret: { _ in nil })
                == "no credentials stored for nosuch (all modules': nexus creds list)\n")
        #expect(
            CredentialCommands.runSlash(
                ["set", "m", "a"], store: store, readSecret: { _ in Array("slash-value".utf8) })
                == "stored m/a\n")
        let listing = CredentialCommands.runSlash([], store: store, readSecret: { _ in nil })
        #expect(listing.contains("m       a") && !listing.contains("slash-value"))
        #expect(
            CredentialCommands.runSlash(["rotate-key"], store: store, readSecret: { _ in nil }).hasPrefix(
                "re-sealed 1 credential "))
        #expect(
            CredentialCommands.runSlash(["delete", "m", "a"], store: store, readSecret: { _ in nil }) == "deleted m/a\n"
        )
        #expect(
            CredentialCommands.runSlash(["delete", "m", "a"], store: store, readSecret: { _ in nil }).hasPrefix(
                "error: vault: no credential m/a"))
        #expect(
            CredentialCommands.runSlash(["bogus"], store: store, readSecret: { _ in nil }).hasPrefix("usage: /creds"))
        let actors = try store.auditTrail().map(\.actor)
        #expect(actors.contains("user:/creds set") && actors.contains("user:/creds delete"))
    }
}
