import NexusCore
import NexusStore
import Testing

@testable import NexusVault

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus doctor`'s view of the vault: found without side effects.
@Suite struct VaultStatusSpecs {
    @Test func anUnusedVaultIsEmptyAndNoKeyIsMinted() throws {
        let f = VaultFixture()
        defer { f.remove() }
        #expect(VaultStatus.check(database: try f.database(), keys: f.keys()) == .empty)
        #expect(access(f.keyFile.path, F_OK) != 0, "doctor must not create vault.key")
    }

    @Test func theKeyInUseOpensIt() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try f.open(db).set(module: "m", name: "token", value: "a-value-here", actor: .user(command: "t"))
        #expect(VaultStatus.check(database: db, keys: f.keys()) == .open(credentials: 1, keySource: f.keyFile.path))
    }

    @Test func aMissingKeyFileIsAFailureNamingIt() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try f.open(db).set(module: "m", name: "token", value: "a-value-here", actor: .user(command: "t"))
        unlink(f.keyFile.path)
        guard case .failed(let e) = VaultStatus.check(database: db, keys: f.keys()) else {
            Issue.record("a vault whose key is gone is not healthy")
            return
        }
        #expect(e == .keyFileMissing(path: f.keyFile.path))
        #expect(access(f.keyFile.path, F_OK) != 0, "no new key replaces the lost one")
    }

    @Test func anEnvironmentKeyThatDoesNotOpenItIsAFailure() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try f.open(db).set(module: "m", name: "token", value: "a-value-here", actor: .user(command: "t"))
        let other = f.keys(environment: ["MODULE_ENCRYPTION_KEY": String(repeating: "ab", count: 32)])
        #expect(VaultStatus.check(database: db, keys: other) == .failed(.wrongKey(source: "MODULE_ENCRYPTION_KEY")))
    }

    @Test func aPassphraseVaultIsReportedLockedWithoutAsking() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "token", value: "a-value-here", actor: .user(command: "t"))
        let pw = try #require(VaultKeys.passphraseBuffer(Array("correct horse battery".utf8)))
        try store.rotateKey(to: .passphrase(pw, limits: .minimum), actor: .user(command: "creds unlock"))
        // Keys that could ask for the passphrase are not asked: doctor never prompts.
        #expect(VaultStatus.check(database: db, keys: f.keys(passphrase: "wrong")) == .locked(credentials: 1))
    }
}
