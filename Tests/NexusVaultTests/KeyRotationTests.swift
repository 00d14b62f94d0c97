import NexusCore
import NexusPOSIX
import NexusStore
import NexusVault
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct KeyRotationTests {
    @Test func rotationReSealsEveryRowSoOnlyTheNewKeyOpensIt() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        for i in 0..<20 {
            try store.set(module: "m\(i % 3)", name: "k\(i)", value: "value-\(i)-xyz", actor: .user(command: "t"))
        }
        let oldKeyText = try FileSystem.readText(f.keyFile.path)
        let oldID = store.keyID
        let before = try db.query("SELECT sealed FROM vault_credentials ORDER BY module, name").map(\.values)
        #expect(try store.rotateKey(to: .keyFile, actor: .user(command: "creds rotate-key")) == 20)
        #expect(store.keyID != oldID)
        #expect(FileSystem.mode(of: f.keyFile.path) == 0o600)
        #expect(!FileSystem.exists(f.keyFile.nextPath))
        let after = try db.query("SELECT sealed FROM vault_credentials ORDER BY module, name").map(\.values)
        #expect(zip(before, after).allSatisfy { $0 != $1 })
        let reopened = try f.open(db)
        for i in 0..<20 {
            #expect(
                try reopened.get(module: "m\(i % 3)", name: "k\(i)", actor: .user(command: "t"))
                    == Array("value-\(i)-xyz".utf8))
        }
        #expect(throws: VaultError.self) {
            _ = try CredentialStore.open(database: db, keys: .explicit(try MasterKey.parse(oldKeyText, origin: "old")))
        }
        let rotate = try store.auditTrail().filter { $0.action == "rotate" }
        #expect(rotate.count == 1 && rotate[0].actor == "user:creds rotate-key")
        #expect(rotate[0].detail?.contains("20 credentials re-sealed") == true)
    }

    @Test func aProcessStillHoldingTheOldKeyCannotWriteARowNoKeyOpens() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let stale = try f.open(db)
        try stale.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        let rotator = try f.open(try f.database())
        try rotator.rotateKey(to: .keyFile, actor: .user(command: "t"))
        #expect(throws: VaultError.keyRotatedElsewhere) {
            try stale.set(module: "m", name: "b", value: "value-bbbb", actor: .user(command: "t"))
        }
        #expect(throws: VaultError.keyRotatedElsewhere) {
            _ = try stale.get(module: "m", name: "a", actor: .user(command: "t"))
        }
        let fresh = try f.open(db)
        #expect(try fresh.list().map(\.name) == ["a"])
        #expect(try fresh.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
    }

    @Test func aRotationInterruptedAfterCommitIsFinishedOnOpen() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        let oldKeyText = try FileSystem.readText(f.keyFile.path)
        try store.rotateKey(to: .keyFile, actor: .user(command: "t"))
        // Recreate the crash window: committed, but vault.key not yet renamed.
        #expect(rename(f.keyFile.path, f.keyFile.nextPath) == 0)
        f.dir.write("config/vault.key", oldKeyText, mode: 0o600)
        let reopened = try f.open(db)
        #expect(reopened.keyID == store.keyID)
        #expect(!FileSystem.exists(f.keyFile.nextPath))
        #expect(try FileSystem.readText(f.keyFile.path) != oldKeyText)
        #expect(try reopened.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
    }

    @Test func aLeftoverNextKeyFromAnUncommittedRotationIsIgnored() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        f.dir.write("config/vault.key.next", String(repeating: "ab", count: 32) + "\n", mode: 0o600)
        let reopened = try f.open(db)
        #expect(reopened.keyID == store.keyID)
        try reopened.rotateKey(to: .keyFile, actor: .user(command: "t"))
        #expect(try f.open(db).get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
    }

    @Test func aTamperedRowAbortsTheRotationAndTheOldKeyStillOpensEverything() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        try store.set(module: "m", name: "b", value: "value-bbbb", actor: .user(command: "t"))
        try db.execute("UPDATE vault_credentials SET sealed = substr(sealed, 1, 30) WHERE name = 'b'")
        let oldID = store.keyID
        #expect(throws: VaultError.self) { try store.rotateKey(to: .keyFile, actor: .user(command: "t")) }
        #expect(!FileSystem.exists(f.keyFile.nextPath))
        let reopened = try f.open(db)
        #expect(reopened.keyID == oldID)
        #expect(try reopened.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
    }

    @Test func rotatingToANewEnvironmentKeyLeavesTheKeyFileAlone() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": sampleKeyHex])
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        let newHex = String(repeating: "5a", count: 32)
        try store.rotateKey(
            to: .given(try MasterKey.parse(newHex, origin: "NEW"), label: "MODULE_ENCRYPTION_KEY"),
            actor: .user(command: "t"))
        #expect(throws: VaultError.self) { _ = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": sampleKeyHex]) }
        let reopened = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": newHex])
        #expect(try reopened.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
        #expect(!FileSystem.exists(f.keyFile.path))
    }
}
