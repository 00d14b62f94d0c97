import NexusCore
import NexusStore
import NexusVault
import Testing

/// A credential reaches only the module it was stored for, only while that module's approved files are
/// the ones it was given to (or approved upgrades of them), and never under a variable that changes
/// what code runs.
@Suite struct CredentialBindingTests {
    @Test func aModuleRemovedAndInstalledAgainUnderTheSameNameDoesNotGetTheOldSecret() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "weather", shaA)
        let store = try f.open(db)
        try store.set(module: "weather", name: "api_key", value: "weather-secret", actor: .user(command: "t"))
        #expect(
            try store.environment(for: "weather", wants: [(name: "api_key", env: "API_KEY")]) == [
                "API_KEY": "weather-secret"
            ])
        // Other code is installed as "weather" (removed, then installed again).
        try approve(db, "weather", shaB, seq: 2, reinstall: true)
        #expect(throws: VaultError.boundToOtherCode(module: "weather", name: "api_key")) {
            _ = try store.environment(for: "weather", wants: [(name: "api_key", env: "API_KEY")])
        }
        #expect(
            VaultError.boundToOtherCode(module: "weather", name: "api_key").hint?.contains("nexus creds bind weather")
                == true)
        // The person gives the new files the credential.
        #expect(try store.bind(module: "weather", actor: .user(command: "creds bind")) == 1)
        #expect(
            try store.environment(for: "weather", wants: [(name: "api_key", env: "API_KEY")]) == [
                "API_KEY": "weather-secret"
            ])
    }

    @Test func anApprovedUpgradeOrRollbackKeepsTheCredential() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "weather", shaA)
        let store = try f.open(db)
        try store.set(module: "weather", name: "api_key", value: "weather-secret", actor: .user(command: "t"))
        try approve(db, "weather", shaB, seq: 2)
        #expect(
            try store.environment(for: "weather", wants: [(name: "api_key", env: "API_KEY")]) == [
                "API_KEY": "weather-secret"
            ])
        try approve(db, "weather", shaA, seq: 1)
        #expect(
            try store.environment(for: "weather", wants: [(name: "api_key", env: "API_KEY")]) == [
                "API_KEY": "weather-secret"
            ])
        #expect(try store.auditTrail().contains { $0.action == "bind" && $0.target == "weather/api_key" })
    }

    @Test func aModuleThatIsNotInstalledGetsNothing() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "later", name: "token", value: "stored-before-install", actor: .user(command: "t"))
        #expect(throws: VaultError.moduleNotInstalled(module: "later")) {
            _ = try store.environment(for: "later", wants: [(name: "token", env: "TOKEN")])
        }
        // Stored before the install (creds set --force): bound to the first approved files that use it.
        try approve(db, "later", shaC)
        #expect(
            try store.environment(for: "later", wants: [(name: "token", env: "TOKEN")]) == [
                "TOKEN": "stored-before-install"
            ])
        try approve(db, "later", shaA, seq: 2, reinstall: true)
        #expect(throws: VaultError.boundToOtherCode(module: "later", name: "token")) {
            _ = try store.environment(for: "later", wants: [(name: "token", env: "TOKEN")])
        }
    }

    @Test func variablesThatChangeWhatCodeRunsAreRefusedAtStoreAndAtInjection() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "m", shaA)
        let store = try f.open(db)
        for name in [
            "LD_PRELOAD", "PYTHONPATH", "NEXUS_HOME", "PATH", "HOME", "SHELL", "IFS", "ENV", "BASH_ENV",
            "SSL_CERT_FILE", "HTTPS_PROXY", "http_proxy", "REQUESTS_CA_BUNDLE",
        ] {
            #expect(throws: VaultError.self, "\(name) was stored") {
                try store.set(module: "m", name: name, value: "/tmp/evil.so", actor: .user(command: "t"))
            }
        }
        try store.set(module: "m", name: "preload", value: "/tmp/evil.so", actor: .user(command: "t"))
        for env in ["LD_PRELOAD", "PYTHONSTARTUP", "NEXUS_BUILTIN_MODULES", "PATH", "all_proxy"] {
            do {
                _ = try store.environment(for: "m", wants: [(name: "preload", env: env)])
                Issue.record("\(env) was injected")
            } catch let e as VaultError {
                guard case .reservedEnvironmentName = e else {
                    Issue.record("\(env): \(e)")
                    continue
                }
                #expect(e.exitCode == .usage)
            }
        }
    }

    @Test func namesKeepTheirCaseAndLowercasedManifestNamesStillFindThem() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "cli", shaA)
        let store = try f.open(db)
        try store.set(module: "cli", name: "ALLOWED_DIR", value: "/srv/data", actor: .user(command: "t"))
        #expect(try store.list(module: "cli").map(\.name) == ["ALLOWED_DIR"])
        #expect(
            try store.environment(for: "cli", wants: [(name: "ALLOWED_DIR", env: "ALLOWED_DIR")]) == [
                "ALLOWED_DIR": "/srv/data"
            ])
        // A manifest written when `modules install mcp --credential` lowercased the name.
        #expect(
            try store.environment(for: "cli", wants: [(name: "allowed_dir", env: "ALLOWED_DIR")]) == [
                "ALLOWED_DIR": "/srv/data"
            ])
        // And a lowercase row stored for such a manifest keeps working.
        try store.set(module: "cli", name: "token", value: "lower-case-row", actor: .user(command: "t"))
        #expect(
            try store.environment(for: "cli", wants: [(name: "token", env: "TOKEN")]) == ["TOKEN": "lower-case-row"])
    }
}
