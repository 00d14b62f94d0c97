import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

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
            if FileSystem.kind(of: dir + "/Package.swift") == .file && FileSystem.kind(of: dir + "/modules") == .directory {
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
}
