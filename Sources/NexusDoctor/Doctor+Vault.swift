import NexusCore
import NexusOrchestrator
import NexusVault

/// The vault line: how many credentials, and whether the key this process has opens them.
extension Doctor {
    /// Whether the key this process has opens the vault, checked without minting a key or asking.
    static func vaultCheck(_ ctx: NexusContext) -> DoctorCheck {
        let keys = VaultKeys(environment: ctx.environment, configDir: ctx.paths.configDir, passphrase: nil)
        switch VaultStatus.check(database: ctx.database, keys: keys) {
        case .empty:
            return DoctorCheck(.ok, "vault", "no credentials yet (a key is made on first use)")
        case .locked(let n):
            return DoctorCheck(
                .ok, "vault", "\(n) credential(s), sealed with a passphrase",
                fix: "`nexus creds unlock` checks the passphrase; modules get credentials once it is given")
        case .open(let n, let source):
            return DoctorCheck(.ok, "vault", "\(n) credential(s), key from \(source)")
        case .failed(let e):
            return DoctorCheck(.fail, "vault", e.userMessage, fix: e.hint)
        }
    }
}
