import NexusCore
import NexusPOSIX
import NexusStore

/// Where the modules shipped with nexus live.
///
/// `NEXUS_BUILTIN_MODULES` wins (an empty value turns built-ins off). Otherwise the executable's real
/// path is walked upwards (at most five levels): a directory holding both `Package.swift` and `modules/`
/// is a source checkout (`.build/debug/nexus` → the repository's `modules/`), and `<prefix>/share/nexus/modules`
/// is an installed copy (`/usr/local/bin/nexus` → `/usr/local/share/nexus/modules`).
public enum BuiltinModules {
    public static func locate(environment: [String: String]) -> String? {
        if let e = environment["NEXUS_BUILTIN_MODULES"] {
            return e.isEmpty ? nil : e
        }
        guard var dir = ModuleFiles.realPath("/proc/self/exe") else { return nil }
        for _ in 0..<5 {
            guard let slash = dir.lastIndex(of: "/"), slash != dir.startIndex else { return nil }
            dir = String(dir[..<slash])
            if FileSystem.kind(of: dir + "/Package.swift") == .file
                && FileSystem.kind(of: dir + "/modules") == .directory
            {
                return dir + "/modules"
            }
            if FileSystem.kind(of: dir + "/share/nexus/modules") == .directory { return dir + "/share/nexus/modules" }
        }
        return nil
    }

    /// Module folders under a modules root: `<root>/<category>/<name>/manifest.json`.
    public static func folders(in root: String) -> [String] {
        var out: [String] = []
        for category in FileSystem.list(root) where !category.hasPrefix(".") {
            let cdir = root + "/" + category
            guard FileSystem.kind(of: cdir) == .directory else { continue }
            for name in FileSystem.list(cdir) where !name.hasPrefix(".") {
                let folder = cdir + "/" + name
                if FileSystem.kind(of: folder + "/" + ModuleManifest.fileName) == .file { out.append(folder) }
            }
        }
        return out
    }

    /// (name, category) of each built-in module under `root` whose manifest loads.
    public static func names(in root: String) -> [(name: String, category: String)] {
        // A folder whose manifest does not load is not listed here; discovery reports it (`modules list`).
        folders(in: root).compactMap { f in (try? ModuleManifest.load(folder: f)).map { ($0.name, $0.category) } }
    }

    /// The registry row discovery should write for the built-in at `folder`, or nil to leave the row as
    /// it is. A built-in seen for the first time (or taking a removed installed module's name) is
    /// approved as found: it ships with nexus. Afterwards its pin is kept like any module's: when its
    /// files no longer match (an update of nexus, or anything that wrote into the folder), the row keeps
    /// the approved sha256, so the module does not start, and says how to approve the new files.
    public static func reconcile(
        existing: ModuleRecord?, manifest m: ModuleManifest, folder: String, modulesDirectory: String
    ) -> ModuleRecord? {
        if let e = existing, !e.isBuiltin && e.state != .archived { return nil }  // an installed module wins
        if let e = existing, e.isBuiltin {
            if ModulePin.matches(module: m.name, folder: folder, approved: e.sha256, modulesDirectory: modulesDirectory)
            {
                guard e.path != folder else { return nil }
                var moved = e
                moved.path = folder
                moved.updatedAt = WallClock.now()
                return moved
            }
            let note = changedNote(folder)
            guard e.lastError != note || e.path != folder else { return nil }
            var changed = e
            changed.path = folder
            if changed.state != .archived { changed.health = .failing }
            changed.lastError = note
            changed.updatedAt = WallClock.now()
            return changed
        }
        // A built-in whose files cannot be read is not registered (nothing is written); the next discovery retries.
        guard let digest = try? ModuleFiles.digest(folder) else { return nil }
        var r =
            existing
            ?? ModuleRecord(
                name: m.name, category: m.category, version: m.version, path: folder, sha256: digest, source: "builtin")
        if existing != nil { r.state = .enabled }
        r.category = m.category
        r.version = m.version
        r.path = folder
        r.sha256 = digest
        r.source = "builtin"
        r.createdBy = m.createdBy ?? "nexus"
        r.tools = nil
        r.updatedAt = WallClock.now()
        return r
    }

    /// What `modules list` shows for a built-in whose files changed since they were approved.
    static func changedNote(_ folder: String) -> String {
        "built-in files changed since they were approved; review them, then approve with: "
            + "nexus modules install \(folder)"
    }
}
