import NexusCore
import NexusStore
import NexusVault
import Testing

@Suite struct EnvironmentInjectionTests {
    @Test func aModuleGetsOnlyItsOwnCredentialsUnderTheNamesItsManifestGives() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "weather", shaA)
        try approve(db, "github", shaB)
        let store = try f.open(db)
        try store.set(module: "weather", name: "api_key", value: "weather-secret", actor: .user(command: "t"))
        try store.set(module: "github", name: "api_key", value: "github-secret", actor: .user(command: "t"))
        let env = try store.environment(for: "weather", wants: [(name: "api_key", env: "WEATHER_API_KEY")])
        #expect(env == ["WEATHER_API_KEY": "weather-secret"])
        let trail = try store.auditTrail()
        #expect(
            trail.last?.actor == "module:weather" && trail.last?.action == "retrieve"
                && trail.last?.target == "weather/api_key")
    }

    @Test func aMissingDeclaredCredentialNamesTheModuleAndTheFix() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "weather", shaA)
        let store = try f.open(db)
        try store.set(module: "github", name: "token", value: "github-secret", actor: .user(command: "t"))
        do {
            _ = try store.environment(for: "weather", wants: [(name: "token", env: "TOKEN")])
            Issue.record("another module's credential was handed out")
        } catch let e as VaultError {
            #expect(e == .missingForModule(module: "weather", name: "token", env: "TOKEN"))
            #expect(e.hint == "nexus creds set weather token")
        }
    }

    @Test func valuesAnEnvironmentCannotCarryAreRefused() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try approve(db, "m", shaA)
        let store = try f.open(db)
        try store.set(module: "m", name: "bin", value: [0xFF, 0xFE, 0x41, 0x42], actor: .user(command: "t"))
        try store.set(module: "m", name: "nul", value: [0x41, 0x00, 0x42, 0x43], actor: .user(command: "t"))
        try store.set(module: "m", name: "ok", value: "fine-value", actor: .user(command: "t"))
        #expect(throws: VaultError.self) { _ = try store.environment(for: "m", wants: [(name: "bin", env: "BIN")]) }
        #expect(throws: VaultError.self) { _ = try store.environment(for: "m", wants: [(name: "nul", env: "NUL")]) }
        #expect(throws: VaultError.invalidEnvironmentName(module: "m", env: "1BAD")) {
            _ = try store.environment(for: "m", wants: [(name: "ok", env: "1BAD")])
        }
        #expect(throws: VaultError.self) { _ = try store.environment(for: "m", wants: [(name: "ok", env: "A=B")]) }
    }
}
