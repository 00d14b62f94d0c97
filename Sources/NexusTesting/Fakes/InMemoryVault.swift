import NexusCore
import NexusVault
import Synchronization

/// A `CredentialVault` held in memory: no key, no database, no libsodium, deterministic — for in-process
/// specifications that need a module to receive a credential and the session to keep it from the model.
///
/// It keeps the vault's contract, not a lookalike of it: names are checked by the real vault's rules,
/// errors are the real `VaultError`s (so messages and hints are the user's), every store, read and removal
/// is audited (kept here and published as `.audit` on `bus`, never with the value), and redaction is the
/// real `Redactor` over every stored value — a secret in a tool's output reaches no model through it either.
/// What it does not do is bind credentials to a module's approved files (that needs the registry).
public final class InMemoryVault: CredentialVault {
    /// One audit record: who did what to which `module/name`.
    public struct AuditEntry: Sendable, Equatable {
        public var actor: String
        public var action: String
        public var target: String
        public init(actor: String, action: String, target: String) {
            self.actor = actor
            self.action = action
            self.target = target
        }
    }

    private struct State {
        var values: [String: [UInt8]] = [:]
        var redactor = Redactor.empty
        var audit: [AuditEntry] = []
    }

    private let state = Mutex(State())
    private let bus: EventBus?

    /// `secrets` are stored at once, as `nexus:test` (audited like any store).
    public init(bus: EventBus? = nil, secrets: [(module: String, name: String, value: String)] = []) throws {
        self.bus = bus
        for s in secrets { try store(module: s.module, name: s.name, value: s.value, actor: "nexus:test") }
    }

    /// Every audit record, oldest first.
    public var auditTrail: [AuditEntry] { state.withLock { $0.audit } }

    @discardableResult
    public func store(module: String, name: String, value: String, actor: String) throws -> Bool {
        try CredentialStore.validate(module: module, name: name)
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else { throw VaultError.emptyValue(module: module, name: name) }
        guard bytes.count <= CredentialStore.maximumValueBytes else {
            throw VaultError.valueTooLarge(
                module: module, name: name, bytes: bytes.count, limit: CredentialStore.maximumValueBytes)
        }
        if let problem = ReservedEnvironment.problem(name) {
            throw VaultError.reservedEnvironmentName(module: module, env: name, reason: problem)
        }
        let target = "\(module)/\(name)"
        let isNew = state.withLock { s in
            let isNew = s.values[target] == nil
            s.values[target] = bytes
            s.redactor = s.redactor.replacing(label: target, with: bytes)
            return isNew
        }
        audit(actor, "store", target)
        return isNew
    }

    public func environment(for module: String, wants: [(name: String, env: String)]) throws -> [String: String] {
        var out: [String: String] = [:]
        for want in wants {
            guard CredentialStore.isValidEnvironmentName(want.env) else {
                throw VaultError.invalidEnvironmentName(module: module, env: want.env)
            }
            if let problem = ReservedEnvironment.problem(want.env) {
                throw VaultError.reservedEnvironmentName(module: module, env: want.env, reason: problem)
            }
            let target = "\(module)/\(want.name)"
            guard let value = state.withLock({ $0.values[target] }) else {
                throw VaultError.missingForModule(module: module, name: want.name, env: want.env)
            }
            audit("module:\(module)", "retrieve", target)
            guard !value.contains(0), let text = String(validating: value, as: UTF8.self) else {
                throw VaultError.notEnvironmentSafe(
                    module: module, name: want.name, env: want.env, reason: "the value is not NUL-free UTF-8")
            }
            out[want.env] = text
        }
        return out
    }

    public func storedNames(module: String?) throws -> [String] {
        state.withLock { s in
            s.values.keys.filter { key in module.map { key.hasPrefix($0 + "/") } ?? true }.sorted()
        }
    }

    public func remove(module: String, name: String, actor: String) throws {
        let target = "\(module)/\(name)"
        let removed = state.withLock { s -> Bool in
            guard s.values.removeValue(forKey: target) != nil else { return false }
            s.redactor = s.redactor.removing(label: target)
            return true
        }
        guard removed else { throw VaultError.notFound(module: module, name: name) }
        audit(actor, "delete", target)
    }

    public var scrubber: any SecretScrubber { state.withLock { $0.redactor } }

    private func audit(_ actor: String, _ action: String, _ target: String) {
        state.withLock { $0.audit.append(AuditEntry(actor: actor, action: action, target: target)) }
        bus?.publish(turn: 0, .audit(actor: actor, action: action, target: target))
    }
}

/// A scrubber that always asks the vault for its current one: text is redacted against whatever is
/// stored at the moment it passes, like the session's `RedactorHandle` kept current by the real vault.
public struct CurrentVaultScrubber: SecretScrubber {
    public let vault: any CredentialVault
    public init(_ vault: any CredentialVault) { self.vault = vault }
    public func redact(_ text: String) -> String { vault.scrubber.redact(text) }
    public func redactSettled(_ text: String) -> (settled: String, held: String) {
        vault.scrubber.redactSettled(text)
    }
}
