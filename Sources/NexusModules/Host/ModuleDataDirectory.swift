import NexusCore
import NexusPOSIX

/// A module's data directory (`$NEXUS_HOME/module-data/<name>`, its /data) belongs to one installation, as its
/// credentials do: upgrades and rollbacks keep it, other code installed under the name of a removed module does not
/// get it. Modules keep tokens, sessions and caches of private data there, and a name is anybody's to take.
///
/// The installation is the registry's `installed_at` (kept by upgrades and rollbacks, new after a removal: the
/// vault's approval lineage). It is written beside the directory, in `module-data/.installation-<name>`, which no
/// module can reach (only its own directory is mounted). A directory left by another installation is moved to
/// `module-data/.earlier/<name>-<time>` for the person, never mounted again, and the module starts with an empty one.
enum ModuleDataDirectory {
    /// Makes `data` ready for the installation that started at `installedAt`.
    static func prepare(_ data: String, installedAt: Double) throws(FileSystemError) {
        let parent = RuntimeMounts.parent(data)
        let name = String(data.dropFirst(parent.count + 1))
        let markFile = parent + "/.installation-" + name
        let mark = String(installedAt)
        // No mark: a home from before marks were written; the directory stays with the module installed now.
        let found = (try? FileSystem.readText(markFile, limit: 256))?.split(separator: "\n").first.map(String.init)
        if let found, found != mark, FileSystem.kind(of: data) == .directory {
            let earlier = parent + "/.earlier"
            try FileSystem.ensureDirectory(earlier, mode: 0o700)
            let aside = earlier + "/\(name)-\(Int(WallClock.now()))-\(UInt32.random(in: 0...UInt32.max))"
            // Another nexus starting the same module may have moved it first: then it is gone already.
            if !FileSystem.rename(data, to: aside) {
                let code = SystemError.current
                if FileSystem.kind(of: data) == .directory {
                    throw .io(path: data, operation: "set aside the data of an earlier installation", errno: code)
                }
            }
        }
        try FileSystem.ensureDirectory(data, mode: 0o700)
        if found != mark { try FileSystem.writeAtomically(markFile, text: mark + "\n", mode: 0o600) }
    }
}
