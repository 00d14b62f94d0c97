import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusVault

#if canImport(Glibc)
    import Glibc
#endif

/// `nexus creds rotate-key` killed with SIGKILL at random points: the vault must always open with one
/// of the two keys and hold every credential.
@Suite struct RotationCrashTests {
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)  // Tests/NexusVaultTests/RotationCrashTests.swift
        return parts.joined(separator: "/")
    }()
    static let binary = packageRoot + "/.build/debug/nexus"

    @Test func rotationKilledAtRandomPointsAlwaysLeavesOneKeyThatOpensEverything() throws {
        guard access(Self.binary, X_OK) == 0 else {
            print("skipped: \(Self.binary) is missing; run `swift build` first to test rotation under kill -9")
            return
        }
        let f = VaultFixture()
        defer { f.remove() }
        f.dir.write("config/nexus.toml", "")
        var expected: [String: [UInt8]] = [:]
        do {
            let db = try f.database()
            let store = try f.open(db)
            for i in 0..<200 {
                // 4 KiB each, so re-sealing takes long enough for kills to land inside the rotation.
                let value = Array("value-\(i)-".utf8) + (0..<4_096).map { _ in UInt8.random(in: 0...255) }
                try store.set(module: "mod\(i % 7)", name: "key\(i)", value: value, actor: .user(command: "seed"))
                expected["mod\(i % 7)/key\(i)"] = value
            }
        }

        // Calibrate on this machine: how long the binary takes to start and open the vault (`creds list`),
        // and how long a whole rotation takes; kills land mostly between the two.
        var start = MonotonicClock.nanoseconds()
        #expect(try runRotation(f, killAfterMs: nil, subcommand: "list") == 0)
        let startupMs = MonotonicClock.millisSince(start)
        start = MonotonicClock.nanoseconds()
        #expect(try runRotation(f, killAfterMs: nil) == 0)
        let fullMs = max(MonotonicClock.millisSince(start), startupMs + 1)
        try verify(f, expected: expected, oldKey: nil)

        // The window adapts: a run that finished before its kill pulls the upper bound in, so kills
        // keep landing inside rotations even when the machine is busier than during calibration.
        var outcomes = (old: 0, new: 0, finished: 0)
        let lower = startupMs * 0.6
        var upper = fullMs * 1.1
        for _ in 0..<50 {
            let before = try FileSystem.readText(f.keyFile.path)
            let delay = Double.random(in: lower...max(lower + 1, upper))
            let status = try runRotation(f, killAfterMs: delay)
            let which = try verify(f, expected: expected, oldKey: before)
            if status == 0 {
                outcomes.finished += 1
                upper = max(lower + 1, min(upper, delay) * 0.95)
            } else {
                if which { outcomes.new += 1 } else { outcomes.old += 1 }
                upper = min(upper * 1.03, fullMs * 2)
            }
        }
        print(
            "rotation kill -9: start-up \(Int(startupMs)) ms, full run \(Int(fullMs)) ms; old key held \(outcomes.old), new key held \(outcomes.new), completed \(outcomes.finished)"
        )
    }

    /// Spawns `nexus creds rotate-key`; kills it with SIGKILL after `killAfterMs` (nil: let it finish). Returns its exit status (-9 when killed).
    func runRotation(_ f: VaultFixture, killAfterMs: Double?, subcommand: String = "rotate-key") throws -> Int32 {
        let args = [Self.binary, "creds", subcommand, "--home", f.home, "--config", f.configDir + "/nexus.toml"]
        let env = ["PATH=/usr/bin:/bin", "HOME=" + f.dir.path]
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = args.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        let rc = posix_spawn(&pid, Self.binary, &actions, nil, argv, envp)
        try #require(rc == 0, "posix_spawn failed: \(rc)")
        if let ms = killAfterMs {
            usleep(useconds_t(ms * 1000))
            kill(pid, SIGKILL)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signaled = (status & 0x7F) != 0
        return signaled ? -(status & 0x7F) : (status >> 8) & 0xFF
    }

    /// Opens the vault in-process with either key and checks every credential; returns true when the
    /// key it opened with is not `oldKey` (the rotation took effect).
    @discardableResult
    func verify(_ f: VaultFixture, expected: [String: [UInt8]], oldKey: String?) throws -> Bool {
        let db = try f.database()
        var candidates: [String] = []
        if let oldKey { candidates.append(oldKey) }
        for p in [f.keyFile.path, f.keyFile.nextPath] {
            if let t = try? FileSystem.readText(p), !candidates.contains(t) { candidates.append(t) }
        }
        var opened: (store: CredentialStore, key: String)? = nil
        for c in candidates {
            guard let key = try? MasterKey.parse(c, origin: "candidate") else { continue }
            if let s = try? CredentialStore.open(database: db, keys: .explicit(key)) {
                opened = (s, c)
                break
            }
        }
        let (store, keyText) = try #require(opened, "neither the old nor the new key opens the vault")
        // Every row opens with that key and holds its value (decrypted without writing audit rows).
        let secrets = store.allSecretsForRedaction()
        #expect(secrets.count == expected.count, "some rows did not open")
        for (label, value) in secrets { #expect(expected[label] == value, "\(label) changed") }
        // And the ordinary open (key file, finishing an interrupted rotation) agrees.
        let normal = try f.open(db)
        #expect(normal.keyID == store.keyID)
        return keyText != oldKey
    }
}
