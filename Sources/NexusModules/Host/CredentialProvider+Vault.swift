import NexusCore

extension ModuleHost {
    /// The host's credential provider over a vault (the sealed `CredentialStore`, or an in-memory one in
    /// tests): each module process gets exactly what `vault.environment(for:wants:)` gives.
    public static func credentials(from vault: any CredentialVault) -> CredentialProvider {
        { module, wanted in try vault.environment(for: module, wants: wanted) }
    }
}
