import NexusCore
import NexusStore

/// The check that a module folder still holds exactly what was approved, made before anything runs
/// from it (a start, a test run) and before a built-in is trusted again.
///
/// The pin covers every file (see `ModuleFiles.digest`). Two things of older homes are put right
/// first, and nothing else is forgiven: earlier versions kept in `<folder>/versions/` move to the
/// version store, and when the folder differs from a pin written under the older rules only by Python
/// cache directories (`__pycache__`, `.pytest_cache`), those caches are deleted — never accepted — and
/// the folder is checked again. A planted `.pyc` therefore either changes the pin or is removed
/// before Python could load it.
public enum ModulePin {
    /// Returns normally when `folder` matches `approved`; otherwise throws `ModuleHostError.filesChanged`
    /// with the digest found.
    public static func verify(module: String, folder: String, approved: String, modulesDirectory: String) throws {
        var found = try ModuleFiles.digest(folder)
        if found != approved && isLegacy(folder, approved: approved) {
            let lock = InstallLock(modulesDirectory: modulesDirectory, blocking: true)
            defer { lock?.release() }
            found = try settleLegacy(
                module: module, folder: folder, approved: approved,
                store: ModuleVersionStore(modulesDirectory: modulesDirectory))
        }
        guard found == approved else {
            throw ModuleHostError.filesChanged(module: module, path: folder, approved: approved, found: found)
        }
    }

    /// Brings a folder pinned under the older rules to the current ones — its `versions/` moved to the
    /// version store, its Python caches deleted — when the older rules say it is unchanged; returns the
    /// folder's digest afterwards. A folder that matches as it is, or that changed, is left alone (its
    /// `versions/` may then be content). The caller holds the install lock.
    static func settleLegacy(module: String, folder: String, approved: String, store: ModuleVersionStore) throws
        -> String
    {
        let found = try ModuleFiles.digest(folder)
        guard found != approved, isLegacy(folder, approved: approved) else { return found }
        try store.migrateLegacy(name: module, live: folder)
        removeCaches(folder)
        return try ModuleFiles.digest(folder)
    }

    static func isLegacy(_ folder: String, approved: String) -> Bool {
        // A folder that cannot be read does not match: it is refused, never approved.
        (try? ModuleFiles.digest(folder, scope: .legacyPin)) == approved
    }

    /// Whether `folder` matches `approved` (after the same clean-up as `verify`).
    public static func matches(module: String, folder: String, approved: String, modulesDirectory: String) -> Bool {
        // Any failure to verify means "does not match": refused, never approved.
        (try? verify(module: module, folder: folder, approved: approved, modulesDirectory: modulesDirectory)) != nil
    }

    /// Deletes every Python cache directory under `folder` (links are not followed).
    static func removeCaches(_ folder: String) {
        for e in ModuleFiles.walk(folder) where e.kind == .directory {
            let name = e.path.split(separator: "/").last.map(String.init) ?? e.path
            if ModuleFiles.isCache(name) { ModuleFiles.removeTree(folder + "/" + e.path) }
        }
    }
}
