import CSodium

/// The libsodium linked in, for `nexus doctor`.
public enum SodiumInfo {
    public static var version: String { "libsodium " + String(cString: sodium_version_string()) }
}
