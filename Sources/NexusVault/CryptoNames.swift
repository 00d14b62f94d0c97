import NexusCrypto

/// Guarded key memory, named here so the vault's callers (`nexus creds`, tests) keep using it through
/// NexusVault; it lives in NexusCrypto, the one owner of libsodium.
public typealias SecureBuffer = NexusCrypto.SecureBuffer
