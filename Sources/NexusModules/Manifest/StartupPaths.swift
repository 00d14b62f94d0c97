import NexusCore

/// Host paths where a filesystem grant reaches past the sandbox: a user's dotfiles and dot-directories
/// (`~/.bashrc`, `~/.profile`, `~/.ssh`, `~/.aws`, `~/.config/...`, `~/.local/bin`) hold the code a shell
/// or desktop runs at start-up and the keys a user signs in with; the system's start-up and program paths
/// (`/etc`, cron, systemd units, `/usr`, `/bin`...) hold code the host runs as root. A module that may
/// write there runs code outside its jail; one that may read a user's dotfiles reads their secrets.
///
/// The rule is by path shape, not a list of files: anything whose first name under a home directory
/// (`/root`, `/home/USER`) starts with a dot, a home directory itself or a folder holding one, and for
/// writes the system prefixes below (or a folder holding one). Symbolic links are followed when the path
/// exists, so `/tmp/x -> /root/.bashrc` is seen for what it is.
public enum StartupPaths {
    /// System folders whose files run outside the sandbox when written (start-up, cron, services, programs).
    static let systemPrefixes = [
        "/etc", "/var/spool/cron", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/boot", "/run/systemd",
    ]

    /// The approval's warning for a grant of `path` (`write`: read-write), nil when the path is none of these.
    public static func warning(_ path: String, write: Bool) -> String? {
        let verb = write ? "writes" : "reads"
        let consequence =
            write ? "code written here runs outside the sandbox" : "the module reads the secrets kept there"
        for p in Set([path, ModuleFiles.realPath(path) ?? path]).sorted() {
            if let what = kind(p, write: write) {
                let resolved = p == path ? "" : " (it resolves to \(p))"
                return "\(verb) \(path)\(resolved) — \(what): \(consequence)"
            }
        }
        return nil
    }

    /// What `path` is, when a grant of it reaches a user's or the system's start-up or credential files.
    static func kind(_ path: String, write: Bool) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        // A user's dotfile: /root/.x..., /home/USER/.x...
        let underHome = parts.first == "root" ? 1 : parts.first == "home" ? 2 : nil
        if let n = underHome {
            if parts.count > n, parts[n].hasPrefix(".") {
                return "a user's start-up or credential files (\(parts[n]) in a home directory)"
            }
            if parts.count <= n { return "holds users' home directories and their start-up and credential files" }
        }
        if parts.isEmpty { return "the whole filesystem" }
        guard write else { return nil }
        let full = "/" + parts.joined(separator: "/")
        for prefix in systemPrefixes {
            if full == prefix || full.hasPrefix(prefix + "/") {
                return "a system start-up or program path (\(prefix))"
            }
            if prefix.hasPrefix(full + "/") { return "holds a system start-up or program path (\(prefix))" }
        }
        return nil
    }

    /// The approval warnings for every grant of `grants`, in order: reads, then writes.
    public static func warnings(_ grants: ModuleManifest.FilesystemGrants) -> [String] {
        grants.read.compactMap { warning($0, write: false) } + grants.write.compactMap { warning($0, write: true) }
    }
}
