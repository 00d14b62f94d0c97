import NexusCore
import NexusPOSIX
import NexusStore
import NexusVault

/// The vault's performance targets as functions `nexus bench` can call:
/// - `vault.open_keyfile_decrypt_one`: open the vault with a key file (read and check the key against
///   `vault_meta`) and decrypt one credential, on an open database — target ≤ 2 ms.
/// - `vault.open_db_keyfile_decrypt_one`: the same including opening the SQLite file.
/// - `vault.redact_1mb_100_secrets`: redact a 1 MB tool result while 100 secrets are stored — target ≤ 5 ms.
public enum VaultBenchmarks {
    public static func run(tempDir: String) -> [(name: String, p50Ms: Double, p99Ms: Double)] {
        run(tempDir: tempDir, scale: 1)
    }

    /// `scale` < 1 runs fewer iterations (tests keep the functions working without paying for timing).
    static func run(tempDir: String, scale: Double) -> [(name: String, p50Ms: Double, p99Ms: Double)] {
        func times(_ n: Int) -> Int { max(3, Int(Double(n) * scale)) }
        var results: [(name: String, p50Ms: Double, p99Ms: Double)] = []
        let dir = tempDir + "/vault-bench-\(ProcessControl.currentID)-\(MonotonicClock.nanoseconds())"
        // A folder that cannot be made fails the database open below: no vault rows.
        try? FileSystem.ensureDirectory(dir, mode: 0o700)
        let dbPath = dir + "/nexus.db"
        let keys = VaultKeys(environment: [:], configDir: dir)
        // No throwaway vault: the vault rows are missing from the report.
        if let db = try? Database(path: dbPath), let store = try? CredentialStore.open(database: db, keys: keys) {
            var rng = BenchRandom(seed: 7)
            for i in 0..<100 {
                // Throwaway values: a missing one only makes the measured lookups miss.
                _ = try? store.set(
                    module: "module\(i % 10)", name: "key\(i)", value: rng.token(length: 40), actor: .system("bench"))
            }
            results.append(
                measure("vault.open_keyfile_decrypt_one", iterations: times(300)) {
                    // Only the time is measured.
                    guard let s = try? CredentialStore.open(database: db, keys: keys) else { return }
                    _ = try? s.get(module: "module3", name: "key53", actor: .system("bench"))
                })
            results.append(
                measure("vault.open_db_keyfile_decrypt_one", iterations: times(100)) {
                    // Only the time is measured.
                    guard let d = try? Database(path: dbPath),
                        let s = try? CredentialStore.open(database: d, keys: keys)
                    else { return }
                    _ = try? s.get(module: "module3", name: "key53", actor: .system("bench"))
                })
        }
        results.append(redactionBenchmark(iterations: times(60)))
        // Best-effort clean-up of a folder in /tmp.
        if let pid = try? ChildProcess.spawn(["rm", "-rf", dir], SpawnOptions(searchPath: true)) {
            ChildProcess.wait(pid)
        }
        return results
    }

    /// 1 MB of printable text with 20 stored secrets scattered through it, 100 secrets known.
    static func redactionBenchmark(iterations: Int) -> (name: String, p50Ms: Double, p99Ms: Double) {
        var rng = BenchRandom(seed: 11)
        let secrets = (0..<100).map { i in
            Redactor.Secret(label: "m\(i % 10)/k\(i)", value: rng.token(length: 24 + i % 24))
        }
        let redactor = Redactor(secrets: secrets)
        var text: [UInt8] = []
        text.reserveCapacity(1 << 20)
        while text.count < 1 << 20 {
            for _ in 0..<(50 + rng.next() % 200) {
                text.append(UInt8(0x20 + rng.next() % 95))
            }
            if rng.next() % 256 == 0 { text += secrets[Int(rng.next() % 100)].value }
        }
        let s = String(decoding: text.prefix(1 << 20), as: UTF8.self)
        return measure("vault.redact_1mb_100_secrets", iterations: iterations) {
            _ = redactor.redact(s)
        }
    }

    static func measure(_ name: String, iterations: Int, _ body: () -> Void) -> (
        name: String, p50Ms: Double, p99Ms: Double
    ) {
        body()  // warm-up
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = MonotonicClock.nanoseconds()
            body()
            samples.append(MonotonicClock.millisSince(start))
        }
        let stats = Stats(samples)
        let (p50, p99) = (stats.p50, stats.p99)
        return (name, p50, p99)
    }
}

/// Deterministic bytes for benchmark fixtures (SplitMix64).
struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func token(length: Int) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8)
        return (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
    }
}
