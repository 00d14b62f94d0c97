import NexusCore
import NexusCrypto

extension CredentialStore {
    /// The environment for one module's process: exactly the credentials its manifest declares, each
    /// under the variable the manifest names, read from that module's own rows only, and only when
    /// the module is installed and each credential is bound to its approved files (see
    /// `CredentialStore+Binding`).
    ///
    /// Each read is audited with the module as actor. A declared credential that is missing or bound to
    /// other code, a value that is not UTF-8 or holds a NUL byte (an environment string cannot carry
    /// either), or an invalid or reserved variable name is an error naming the module and credential —
    /// the process is not started with a partial environment. A name stored in another case than the
    /// manifest gives is found (manifests written by `modules install mcp` used to lowercase names).
    public func environment(for module: String, wants: [(name: String, env: String)]) throws -> [String: String] {
        var out: [String: String] = [:]
        guard !wants.isEmpty else { return out }
        guard let approval = try approval(of: module) else { throw VaultError.moduleNotInstalled(module: module) }
        for want in wants {
            guard Self.isValidEnvironmentName(want.env) else {
                throw VaultError.invalidEnvironmentName(module: module, env: want.env)
            }
            if let problem = ReservedEnvironment.problem(want.env) {
                throw VaultError.reservedEnvironmentName(module: module, env: want.env, reason: problem)
            }
            guard let stored = try storedName(module: module, name: want.name) else {
                throw VaultError.missingForModule(module: module, name: want.name, env: want.env)
            }
            try checkBinding(module: module, name: stored, approval: approval)
            var value = try get(module: module, name: stored, actor: .module(module))
            defer { Sodium.wipe(&value) }
            guard !value.contains(0) else {
                throw VaultError.notEnvironmentSafe(
                    module: module, name: want.name, env: want.env, reason: "the value contains a NUL byte")
            }
            guard let text = String(validating: value, as: UTF8.self) else {
                throw VaultError.notEnvironmentSafe(
                    module: module, name: want.name, env: want.env, reason: "the value is not valid UTF-8")
            }
            out[want.env] = text
        }
        return out
    }

    /// POSIX-portable names: a letter or underscore, then letters, digits or underscores.
    public static func isValidEnvironmentName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }
    }
}
