import NexusCore
import NexusPOSIX
import NexusStore

/// Earlier approved versions, kept for `modules rollback` at `$NEXUS_HOME/module-versions/<name>/v<seq>/`.
///
/// They live outside the module folder so a running module (whose folder is its mount) can neither
/// read nor change them, and each is written from the staged, verified copy when it is installed —
/// never copied later from a live folder a module could be changing. Older homes kept them in
/// `<module folder>/versions/`; `migrateLegacy` moves those out on first use, one atomic rename per
/// version, and keeps anything it cannot place instead of deleting it.
public struct ModuleVersionStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// `<modules directory>/../module-versions`.
    public init(modulesDirectory: String) {
        let parent = modulesDirectory.lastIndex(of: "/").map { String(modulesDirectory[..<$0]) } ?? "."
        self.init(root: (parent.isEmpty ? "" : parent) + "/module-versions")
    }

    public func path(_ name: String, seq: Int) -> String { root + "/" + name + "/v\(seq)" }

    /// Whether version `seq` of `name` is kept.
    public func has(_ name: String, seq: Int) -> Bool { FileSystem.kind(of: path(name, seq: seq)) == .directory }

    /// Keeps `folder` (already verified) as version `seq`: copied beside its final place, checked against
    /// `sha256`, then renamed in. A version of that number left by an interrupted install is replaced.
    /// `sameAs`: a kept version with these very files (a reinstall): its files are hard-linked, not copied
    /// again. Kept versions are never written (a rollback copies out of them), so sharing them is safe; the
    /// live folder, which test code may write in, never shares a file with the store.
    func keep(_ folder: String, name: String, seq: Int, sha256: String, sameAs: Int? = nil) throws {
        let dir = root + "/" + name
        try FileSystem.ensureDirectory(root, mode: 0o700)
        try FileSystem.ensureDirectory(dir, mode: 0o700)
        let scratch = dir + "/.nexus-new-v\(seq)"
        ModuleFiles.removeTree(scratch)
        // Linked only when the kept files still hold what was approved; anything else is copied from the staging.
        var linked = false
        if let same = sameAs, has(name, seq: same) {
            do {
                try ModuleFiles.linkTree(path(name, seq: same), to: scratch)
                linked = try ModuleFiles.digest(scratch) == sha256
            } catch {
                linked = false
            }
            if !linked { ModuleFiles.removeTree(scratch) }
        }
        if !linked { try ModuleFiles.copyTree(folder, to: scratch) }
        guard try linked || ModuleFiles.digest(scratch) == sha256 else {
            ModuleFiles.removeTree(scratch)
            throw InstallError.contentChangedDuringInstall(name: name)
        }
        ModuleFiles.removeTree(path(name, seq: seq))
        try ModuleFiles.rename(scratch, path(name, seq: seq))
        ModuleFiles.syncDirectory(dir)
    }

    /// Moves `<live>/versions/v*` of an older home into the store. Each version moves with one rename
    /// (atomic); a version the store already holds stays beside it as `.legacy-v<seq>-<time>`, so
    /// nothing is lost. Returns what it did, one line per version; empty when there was nothing to do.
    @discardableResult
    public func migrateLegacy(name: String, live: String) throws -> [String] {
        let legacy = live + "/versions"
        guard FileSystem.isDirectoryNotFollowingLink(legacy) else { return [] }
        let dir = root + "/" + name
        try FileSystem.ensureDirectory(root, mode: 0o700)
        try FileSystem.ensureDirectory(dir, mode: 0o700)
        var notes: [String] = []
        for v in FileSystem.list(legacy) {
            let from = legacy + "/" + v
            var target = dir + "/" + v
            if FileSystem.exists(target) || !Self.isVersionName(v) {
                target = dir + "/.legacy-\(v)-\(Int(WallClock.now()))"
            }
            try ModuleFiles.rename(from, target)
            notes.append("module \(name): moved \(from) to \(target)")
        }
        ModuleFiles.syncDirectory(dir)
        if !FileSystem.removeEmptyDirectory(legacy) {
            throw InstallError.io("\(legacy): cannot remove after moving its versions out")
        }
        ModuleFiles.syncDirectory(live)
        return notes
    }

    /// Moves every kept version of `name` aside (the module was removed): a module installed later under
    /// the same name does not inherit them.
    func archive(_ name: String) throws {
        let dir = root + "/" + name
        guard FileSystem.kind(of: dir) == .directory else { return }
        try FileSystem.ensureDirectory(root + "/.archive", mode: 0o700)
        try ModuleFiles.rename(dir, root + "/.archive/\(name)-\(Int(WallClock.now()))-\(MonotonicClock.nanoseconds())")
    }

    static func isVersionName(_ v: String) -> Bool {
        v.hasPrefix("v") && v.count > 1 && v.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}
