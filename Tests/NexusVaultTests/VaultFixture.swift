import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import NexusVault

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary home and config directory with a real SQLite file, for one test.
struct VaultFixture {
    let dir: TemporaryDirectory
    var home: String { dir.path + "/home" }
    var configDir: String { dir.path + "/config" }
    var databasePath: String { home + "/nexus.db" }
    var keyFile: KeyFile { KeyFile(configDir: configDir) }

    init() {
        dir = TemporaryDirectory(prefix: "nexus-vault")
        mkdir(dir.path + "/home", 0o700)
        mkdir(dir.path + "/config", 0o700)
    }

    func database() throws -> Database { try Database(path: databasePath) }

    func keys(environment: [String: String] = [:], passphrase: String? = nil) -> VaultKeys {
        let pw = passphrase
        return VaultKeys(
            environment: environment, configDir: configDir,
            passphrase: pw.map { p in { @Sendable in VaultKeys.passphraseBuffer(Array(p.utf8)) } })
    }

    func open(
        _ db: Database, environment: [String: String] = [:], passphrase: String? = nil, bus: EventBus? = nil
    ) throws -> CredentialStore {
        try CredentialStore.open(database: db, keys: keys(environment: environment, passphrase: passphrase), bus: bus)
    }

    func remove() { dir.remove() }
}

/// The whole file's bytes (for checking that values never reach disk in clear).
func fileBytes(_ path: String) -> [UInt8] {
    (try? FileSystem.read(path)) ?? []
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
        if Array(haystack[i..<i + needle.count]) == needle { return true }
    }
    return false
}

let sampleKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

/// Records an approval of `module` at `sha256` the way the module registry does on install (a row in
/// `modules`, one in `module_versions`). `reinstall` starts a new installation (as after a removal).
func approve(_ db: Database, _ module: String, _ sha256: String, seq: Int = 1, reinstall: Bool = false) throws {
    let now = WallClock.now()
    let existing = try db.query("SELECT installed_at FROM modules WHERE name = ?", [.text(module)]).first?.double(0)
    let installedAt = reinstall || existing == nil ? now : existing ?? now
    try db.execute(
        """
        INSERT INTO modules (name, category, version, seq, state, path, sha256, source, installed_at, updated_at)
        VALUES (?, 'testing', '1.0.0', ?, 'enabled', '/nowhere', ?, 'folder:/nowhere', ?, ?)
        ON CONFLICT(name) DO UPDATE SET sha256 = excluded.sha256, seq = excluded.seq, installed_at = excluded.installed_at
        """, [.text(module), .int(seq), .text(sha256), .double(installedAt), .double(now)])
    try db.execute(
        "INSERT OR REPLACE INTO module_versions (name, seq, version, sha256, approved_at) VALUES (?, ?, '1.0.0', ?, ?)",
        [.text(module), .int(seq), .text(sha256), .double(now)])
}

let shaA = String(repeating: "a", count: 64)
let shaB = String(repeating: "b", count: 64)
let shaC = String(repeating: "c", count: 64)
