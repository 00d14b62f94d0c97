import NexusCrypto

/// The libsodium linked in, for `nexus doctor`.
public enum SodiumInfo {
    public static var version: String { Sodium.version }
}
