import NexusCore

/// What a module gets while no vault is open (a fresh home where nothing was ever stored): the same
/// refusal as from a vault that lacks the credential, with the `nexus creds set` hint. Whether the vault
/// holds anything else never decides whether a module starts without the credentials it declares.
public enum NoVault {
    /// `[:]` for a module that declares no credentials; otherwise `VaultError.missingForModule` for the first.
    public static func environment(for module: String, wants: [(name: String, env: String)]) throws
        -> [String: String]
    {
        guard let first = wants.first else { return [:] }
        throw VaultError.missingForModule(module: module, name: first.name, env: first.env)
    }
}

extension VaultError: MissingCredentialError {
    public var missingCredential: (module: String, name: String)? {
        if case .missingForModule(let module, let name, _) = self { return (module, name) }
        return nil
    }
}
