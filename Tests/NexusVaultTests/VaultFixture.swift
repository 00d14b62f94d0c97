import NexusCore
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
