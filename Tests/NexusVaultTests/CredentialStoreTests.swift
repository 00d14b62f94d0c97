import NexusCore
import NexusStore
import NexusVault
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CredentialStoreTests {
    @Test func storedValueRoundTripsAndIsNeverOnDiskInClear() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let secret = "sk-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
        do {
            let store = try f.open(try f.database())
            #expect(try store.set(module: "weather", name: "api_key", value: secret, actor: .user(command: "test")))
            #expect(
                try store.get(module: "weather", name: "api_key", actor: .user(command: "test")) == Array(secret.utf8))
        }
        let reopened = try f.open(try f.database())
        #expect(
            try reopened.get(module: "weather", name: "api_key", actor: .user(command: "test")) == Array(secret.utf8))
        for path in [f.databasePath, f.databasePath + "-wal"] {
            #expect(!contains(fileBytes(path), Array(secret.utf8)), "\(path) holds the value in clear")
        }
    }

    @Test func nonUTF8BytesRoundTripExactly() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        let raw: [UInt8] = [0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28, 0x41, 0x00]
        try store.set(module: "m", name: "bin", value: raw, actor: .user(command: "test"))
        #expect(try store.get(module: "m", name: "bin", actor: .user(command: "test")) == raw)
    }

    @Test func everyWriteUsesAFreshNonce() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "a", value: "same-value", actor: .user(command: "test"))
        let first = try db.query("SELECT sealed FROM vault_credentials").first?.blob(0)
        try store.set(module: "m", name: "a", value: "same-value", actor: .user(command: "test"))
        let second = try db.query("SELECT sealed FROM vault_credentials").first?.blob(0)
        #expect(first != nil && second != nil)
        #expect(first != second)
        #expect(first?.first == 1, "sealed payloads start with their format version")
    }

    @Test func ciphertextMovedToAnotherRowFailsToOpen() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "github", name: "token", value: "ghp_aaaaaaaaaaaaaaaa", actor: .user(command: "test"))
        try store.set(module: "evil", name: "token", value: "harmless-value", actor: .user(command: "test"))
        try db.execute(
            """
            UPDATE vault_credentials SET sealed = (SELECT sealed FROM vault_credentials WHERE module = 'github')
            WHERE module = 'evil'
            """)
        #expect(throws: VaultError.self) { try store.get(module: "evil", name: "token", actor: .module("evil")) }
        do {
            _ = try store.get(module: "evil", name: "token", actor: .module("evil"))
        } catch let e {
            #expect(e.userMessage.contains("belongs to github/token"))
        }
        // The renamed row is caught too: the names inside the seal no longer match the row's.
        try db.execute("UPDATE vault_credentials SET name = 'token2' WHERE module = 'github'")
        #expect(throws: VaultError.self) { try store.get(module: "github", name: "token2", actor: .module("github")) }
    }

    @Test func truncatedOrFlippedCiphertextIsDetectedAndAudited() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        let store = try f.open(db)
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "test"))
        try store.set(module: "m", name: "b", value: "value-bbbb", actor: .user(command: "test"))
        try db.execute("UPDATE vault_credentials SET sealed = substr(sealed, 1, 20) WHERE name = 'a'")
        let sealed = try #require(try db.query("SELECT sealed FROM vault_credentials WHERE name = 'b'").first?.blob(0))
        var flipped = sealed
        flipped[flipped.count - 3] ^= 0x01
        try db.execute("UPDATE vault_credentials SET sealed = ? WHERE name = 'b'", [.blob(flipped)])
        for name in ["a", "b"] {
            do {
                _ = try store.get(module: "m", name: name, actor: .user(command: "test"))
                Issue.record("tampered row \(name) opened")
            } catch let e {
                guard case .tampered(let m, let n, _) = e else {
                    Issue.record("unexpected \(e)")
                    continue
                }
                #expect(m == "m" && n == name)
            }
        }
        let trail = try store.auditTrail()
        #expect(trail.filter { $0.action == "tamper_detected" }.map(\.target) == ["m/a", "m/b"])
    }

    @Test func aWrongKeyIsRefusedAndNothingIsOverwritten() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        do {
            let store = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": sampleKeyHex])
            try store.set(module: "m", name: "a", value: "original-value", actor: .user(command: "test"))
        }
        let before = try db.query("SELECT module, name, sealed FROM vault_credentials").map(\.values)
        let metaBefore = try db.query("SELECT key, value FROM vault_meta ORDER BY key").map(\.values)
        let otherKey = String(sampleKeyHex.reversed())
        #expect {
            _ = try f.open(db, environment: ["MODULE_ENCRYPTION_KEY": otherKey])
        } throws: { e in
            (e as? VaultError)?.userMessage.contains("the vault was sealed with a different key") == true
        }
        // Without the env key, the key file path is tried — and it, too, is the wrong key.
        #expect(throws: VaultError.self) { _ = try f.open(db) }
        #expect(try db.query("SELECT module, name, sealed FROM vault_credentials").map(\.values) == before)
        #expect(try db.query("SELECT key, value FROM vault_meta ORDER BY key").map(\.values) == metaBefore)
    }

    @Test func handEditedMetadataIsReportedAsDamagedNotAsAWrongKey() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let db = try f.database()
        try f.open(db).set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        try db.execute("DELETE FROM vault_meta WHERE key = 'key_check'")
        #expect { _ = try f.open(db) } throws: { e in
            guard let v = e as? VaultError, case .corruptMeta = v else { return false }
            return true
        }
        try db.execute("DELETE FROM vault_meta")
        #expect { _ = try f.open(db) } throws: { e in
            (e as? VaultError)?.userMessage.contains("names no key, but 1 credentials are stored") == true
        }
        try db.execute("INSERT INTO vault_meta (key, value) VALUES ('format', '9')")
        #expect(throws: VaultError.newerFormat(found: 9, supported: 1)) { _ = try f.open(db) }
        #expect(try db.query("SELECT COUNT(*) FROM vault_credentials").first?.int(0) == 1, "nothing was deleted")
    }

    @Test func emptyAndOversizedValuesAreRefusedAndTheOldValueIsKept() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        try store.set(module: "m", name: "a", value: "keep-me-please", actor: .user(command: "test"))
        #expect(throws: VaultError.emptyValue(module: "m", name: "a")) {
            try store.set(module: "m", name: "a", value: [UInt8](), actor: .user(command: "test"))
        }
        let big = [UInt8](repeating: 0x41, count: 1 << 20)
        #expect {
            try store.set(module: "m", name: "a", value: big, actor: .user(command: "test"))
        } throws: { e in
            guard let v = e as? VaultError, case .valueTooLarge(_, _, let bytes, _) = v else { return false }
            return bytes == 1 << 20 && v.exitCode == .usage
        }
        #expect(try store.get(module: "m", name: "a", actor: .user(command: "test")) == Array("keep-me-please".utf8))
    }

    @Test func invalidNamesAreRefusedWithTheField() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        for (m, n) in [("", "a"), ("m", ""), ("../etc", "a"), ("m", "has space"), (".hidden", "a")] {
            #expect(throws: VaultError.self) {
                try store.set(module: m, name: n, value: "vvvv", actor: .user(command: "t"))
            }
        }
    }

    @Test func listShowsNamesAndDatesButNeverValues() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        try store.set(module: "b", name: "z", value: "value-one", actor: .user(command: "t"))
        try store.set(module: "a", name: "y", value: "value-two", actor: .user(command: "t"))
        let all = try store.list()
        #expect(all.map { "\($0.module)/\($0.name)" } == ["a/y", "b/z"])
        #expect(all.allSatisfy { $0.createdAt > 1_700_000_000 && $0.updatedAt >= $0.createdAt })
        #expect(try store.list(module: "b").map(\.name) == ["z"])
    }

    @Test func deleteRemovesTheRowAndAMissingNameIsNotFound() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        try store.set(module: "m", name: "a", value: "value-aaaa", actor: .user(command: "t"))
        try store.delete(module: "m", name: "a", actor: .user(command: "t"))
        #expect(try store.list().isEmpty)
        #expect(throws: VaultError.notFound(module: "m", name: "a")) {
            try store.delete(module: "m", name: "a", actor: .user(command: "t"))
        }
    }

    @Test func everyStoreRetrieveDeleteIsAnAuditRowAndEventWithoutTheValue() async throws {
        let f = VaultFixture()
        defer { f.remove() }
        let bus = EventBus()
        let sub = bus.subscribe(.lossless)
        let db = try f.database()
        let store = try f.open(db, bus: bus)
        let secret = "audit-secret-value-123"
        try store.set(module: "m", name: "a", value: secret, actor: .user(command: "creds set"))
        _ = try store.get(module: "m", name: "a", actor: .module("m"))
        try store.delete(module: "m", name: "a", actor: .user(command: "creds delete"))
        bus.finish()
        var events: [String] = []
        for await e in sub.events {
            if case .audit(let actor, let action, let target) = e.kind { events.append("\(actor) \(action) \(target)") }
        }
        #expect(events == ["user:creds set store m/a", "module:m retrieve m/a", "user:creds delete delete m/a"])
        let rows = try db.query("SELECT actor, action, target, detail, at FROM audit ORDER BY id")
        #expect(rows.map { "\($0.text(0) ?? "") \($0.text(1) ?? "") \($0.text(2) ?? "")" } == events)
        #expect(rows.allSatisfy { ($0.double(4) ?? 0) > 1_700_000_000 })
        #expect(rows.allSatisfy { !($0.text(3) ?? "").contains(secret) })
    }
}
