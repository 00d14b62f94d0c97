/// A declared credential that is not stored, recognisable by code that cannot see the vault: the vault
/// throws it (`VaultError.missingForModule`), and the module installer, which knows no vault, reads it
/// here so that a module still waiting for its credentials is reported as installed, not as broken.
public protocol MissingCredentialError: UserFacingError {
    /// The module and the credential it declares that is not stored; nil for every other error.
    var missingCredential: (module: String, name: String)? { get }
}
