import NexusCore
import NexusStore
import NexusTesting
import NexusVault
import Synchronization
import Testing

/// The `CredentialVault` contract, run against the sealed vault and the in-memory one alike: a fake that
/// passed only its own tests could let a secret through where the real vault would not.
@Suite struct CredentialVaultContractTests {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case sealed, inMemory
        var description: String { rawValue }
    }

    /// A vault of `kind` publishing on `bus`, and how to dispose of it.
    static func make(_ kind: Kind, bus: EventBus) throws -> (any CredentialVault, () -> Void) {
        switch kind {
        case .sealed:
            let fixture = VaultFixture()
            let key = ["MODULE_ENCRYPTION_KEY": String(repeating: "cd", count: 32)]
            let store = try fixture.open(try fixture.database(), environment: key, bus: bus)
            return (store, fixture.remove)
        case .inMemory:
            return (try InMemoryVault(bus: bus), {})
        }
    }

    /// Collects `.audit` events as "actor action target" from the moment it is made.
    final class AuditLog: Sendable {
        private let task: Task<Void, Never>

        init(_ bus: EventBus) {
            let sub = bus.subscribe(.lossless)
            let seen = Box()
            task = Task {
                for await e in sub.events {
                    if case .audit(let actor, let action, let target) = e.kind {
                        seen.add("\(actor) \(action) \(target)")
                    }
                }
            }
            box = seen
        }

        private let box: Box

        /// The entries, once there are at least `n` (or after two seconds).
        func wait(for n: Int) async -> [String] {
            for _ in 0..<400 where box.entries.count < n {
                try? await Task.sleep(nanoseconds: 5_000_000)  // the subscriber runs on its own task
            }
            return box.entries
        }

        func stop() { task.cancel() }

        final class Box: Sendable {
            private let list = Mutex<[String]>([])
            func add(_ s: String) { list.withLock { $0.append(s) } }
            var entries: [String] { list.withLock { $0 } }
        }
    }

    @Test(arguments: Kind.allCases)
    func aStoredValueIsRedactedInEveryFormFromThatMomentAndNoLongerOnceRemoved(kind: Kind) async throws {
        let (vault, dispose) = try Self.make(kind, bus: EventBus())
        defer { dispose() }
        let secret = "pa55-word-xyzzy-2026"
        #expect(vault.scrubber.redact("key=\(secret)") == "key=\(secret)", "nothing stored, nothing redacted")
        #expect(try vault.store(module: "weather", name: "api_key", value: secret, actor: "user:creds set"))
        #expect(try !vault.store(module: "weather", name: "api_key", value: secret, actor: "user:creds set"))
        #expect(vault.scrubber.redact("key=\(secret)") == "key=«redacted:weather/api_key»")
        let base64 = "cGE1NS13b3JkLXh5enp5LTIwMjY="
        #expect(!vault.scrubber.redact("b64 \(base64)").contains(base64), "encoded forms are caught too")
        #expect(try vault.storedNames(module: nil) == ["weather/api_key"])
        #expect(try vault.storedNames(module: "other") == [])
        try vault.remove(module: "weather", name: "api_key", actor: "user:creds delete")
        #expect(vault.scrubber.redact("key=\(secret)") == "key=\(secret)")
        #expect(throws: VaultError.notFound(module: "weather", name: "api_key")) {
            try vault.remove(module: "weather", name: "api_key", actor: "user:creds delete")
        }
    }

    @Test(arguments: Kind.allCases)
    func badNamesAndEmptyValuesAreRefusedWithTheVaultsOwnErrors(kind: Kind) throws {
        let (vault, dispose) = try Self.make(kind, bus: EventBus())
        defer { dispose() }
        #expect(throws: VaultError.self) {
            try vault.store(module: "../etc", name: "k", value: "v1234", actor: "user:t")
        }
        #expect(throws: VaultError.emptyValue(module: "m", name: "k")) {
            try vault.store(module: "m", name: "k", value: "", actor: "user:t")
        }
        #expect(try vault.environment(for: "m", wants: []) == [:], "a module that wants nothing gets nothing")
        #expect(throws: VaultError.self) { try vault.environment(for: "m", wants: [(name: "k", env: "K")]) }
    }

    @Test(arguments: Kind.allCases)
    func everyStoreAndRemovalIsAuditedByNameNeverByValue(kind: Kind) async throws {
        let bus = EventBus()
        let log = AuditLog(bus)
        defer { log.stop() }
        let (vault, dispose) = try Self.make(kind, bus: bus)
        defer { dispose() }
        try vault.store(module: "weather", name: "api_key", value: "s3cret-value-1", actor: "user:creds set")
        try vault.remove(module: "weather", name: "api_key", actor: "user:creds delete")
        let trail = await log.wait(for: 2)
        #expect(trail.contains("user:creds set store weather/api_key"), "\(trail)")
        #expect(trail.contains("user:creds delete delete weather/api_key"), "\(trail)")
        #expect(!trail.joined().contains("s3cret-value-1"))
    }

    @Test func theInMemoryVaultGivesAModuleExactlyWhatItDeclaresAndAuditsTheRead() throws {
        let vault = try InMemoryVault(secrets: [("weather", "api_key", "k-123456"), ("weather", "other", "o-123456")])
        let env = try vault.environment(for: "weather", wants: [(name: "api_key", env: "WEATHER_KEY")])
        #expect(env == ["WEATHER_KEY": "k-123456"], "only what is declared, under the declared name")
        #expect(vault.auditTrail.last == .init(actor: "module:weather", action: "retrieve", target: "weather/api_key"))
        #expect(throws: VaultError.missingForModule(module: "quotes", name: "api_key", env: "QUOTES_KEY")) {
            try vault.environment(for: "quotes", wants: [(name: "api_key", env: "QUOTES_KEY")])
        }
        #expect(throws: VaultError.self) {
            try vault.environment(for: "weather", wants: [(name: "api_key", env: "LD_PRELOAD")])
        }
    }
}
