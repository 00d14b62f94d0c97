import NexusCore
import NexusPOSIX
import NexusStore
import NexusVault
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct MasterKeyTests {
    @Test func hexAndBase64SpellingsOfOneKeyOpenTheSameVault() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": sampleKeyHex])
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        // The same 32 bytes in base64, base64 without padding, and URL-safe base64.
        let b64 = "ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8="
        for spelling in [b64, String(b64.dropLast()), b64.replacingOccurrences("/", "_"), "  \(sampleKeyHex)\n"] {
            let again = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": spelling])
            #expect(try again.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
        }
    }

    @Test func aKeyOfTheWrongLengthIsAUsageErrorThatNeverEchoesTheKey() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        for bad in ["abc123", String(sampleKeyHex.dropLast(2)), sampleKeyHex + "00", "not base64 at all !!!!", "QUJD"] {
            do {
                _ = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": bad])
                Issue.record("accepted \(bad.count)-character key")
            } catch let e as VaultError {
                #expect(e.exitCode == .usage)
                #expect(e.userMessage.hasPrefix("MODULE_ENCRYPTION_KEY: expected a 32-byte key"))
                #expect(!e.userMessage.contains(bad))
            }
        }
        #expect(try db.query("SELECT COUNT(*) FROM vault_meta").first?.int(0) == 0, "a refused key seals nothing")
    }

    @Test func theKeyFileIsCreatedOnceWithMode0600AndReused() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let first = try f.open(db)
        #expect(FileSystem.mode(of: f.keyFile.path) == 0o600)
        let text = try FileSystem.readText(f.keyFile.path)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        try first.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        let second = try f.open(db)
        #expect(second.keyID == first.keyID)
        #expect(try FileSystem.readText(f.keyFile.path) == text)
        #expect(try second.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
    }

    @Test func aKeyFileReadableByOthersIsRefusedWithTheChmodThatFixesIt() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        _ = try f.open(db)
        chmod(f.keyFile.path, 0o644)
        do {
            _ = try f.open(db)
            Issue.record("opened with a world-readable key file")
        } catch let e as VaultError {
            #expect(e.userMessage.contains("readable by others (mode 644)"))
            #expect(e.hint == "chmod 600 \(f.keyFile.path)")
            #expect(e.exitCode == .usage)
        }
        chmod(f.keyFile.path, 0o640)
        #expect(throws: VaultError.keyFileInsecure(path: f.keyFile.path, mode: 0o640)) { _ = try f.open(db) }
        chmod(f.keyFile.path, 0o600)
        _ = try f.open(db)
    }

    @Test func aMissingKeyFileForASealedVaultIsNotReplacedByANewKey() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try f.open(db).set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        unlink(f.keyFile.path)
        #expect(throws: VaultError.keyFileMissing(path: f.keyFile.path)) { _ = try f.open(db) }
        #expect(!FileSystem.exists(f.keyFile.path), "no new key was minted for a sealed vault")
    }

    @Test func aGarbledKeyFileIsRefusedNamingTheFile() throws {
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/vault.key", "short\n", mode: 0o600)
        #expect(throws: VaultError.badKeyEncoding(origin: f.keyFile.path, length: 5)) {
            _ = try f.open(try f.database())
        }
    }

    @Test func aPassphraseVaultNeedsThePassphraseAndRefusesAWrongOne() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        let pw = try #require(VaultKeys.passphraseBuffer(Array("correct horse battery".utf8)))
        try store.rotateKey(to: .passphrase(pw, limits: .minimum), actor: .user(command: "creds unlock"))
        #expect(CredentialStore.isPassphraseMode(db))
        #expect(throws: VaultError.locked) { _ = try f.open(db) }
        #expect(throws: VaultError.wrongKey(source: "the passphrase")) {
            _ = try f.open(db, passphrase: "wrong horse battery")
        }
        let reopened = try f.open(db, passphrase: "correct horse battery")
        #expect(try reopened.get(module: "m", name: "a", actor: .user(command: "t")) == Array("value-aaaa".utf8))
        let meta = try db.query("SELECT key FROM vault_meta ORDER BY key").compactMap { $0.text(0) }
        #expect(meta == ["format", "kdf_mem", "kdf_ops", "kdf_salt", "key_check", "key_id", "mode"])
    }

    @Test func moderateLimitsAreLibsodiumsModerate() {
        #expect(KDFLimits.moderate.ops == 3)
        #expect(KDFLimits.moderate.memory == 256 << 20)
    }
}

extension String {
    func replacingOccurrences(_ a: Character, _ b: Character) -> String { String(map { $0 == a ? b : $0 }) }
}
