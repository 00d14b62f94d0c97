import NexusCore
import NexusPOSIX
import NexusStore

/// Install flags on a folder install: the folder is copied to a scratch directory and its manifest
/// rewritten there, so the user's folder is never touched and the installed manifest (hashed and
/// approved) carries the grants, settings and limits.
extension ModuleInstaller {
    /// The folder to install from once `settings` are in its manifest: `scratch` rewritten in place
    /// when there is one, else a new scratch copy; nil when there is nothing to apply.
    func applySettings(_ settings: InstallSettings, folder: String, scratch: String?) throws -> String? {
        guard !settings.isEmpty else { return nil }
        let target: String
        if let scratch {
            target = scratch
        } else {
            target = modulesDirectory + "/.nexus-tmp-\(ProcessControl.currentID)-\(MonotonicClock.nanoseconds())"
            do {
                // Caches are never part of an approval: the copy leaves them out, as the staged copy does.
                try ModuleFiles.copyTree(folder, to: target, scope: .withoutCaches)
            } catch {
                ModuleFiles.removeTree(target)
                throw error
            }
        }
        do {
            let file = target + "/" + ModuleManifest.fileName
            let json = try JSONValue(parsing: try ModuleFiles.read(file, limit: 1 << 20))
            try FileSystem.writeAtomically(file, text: settings.applied(to: json).pretty() + "\n")
        } catch {
            if scratch == nil { ModuleFiles.removeTree(target) }
            throw error
        }
        return target
    }
}
