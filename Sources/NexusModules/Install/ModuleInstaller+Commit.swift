import NexusCore
import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// The staged, journaled, atomic part of installing and rolling back.
extension ModuleInstaller {
    /// Installs an approved plan: stage → journal → exchange → registry commit.
    public func commit(_ plan: Plan) throws -> ModuleRecord {
        defer { discard(plan) }
        let lock = try acquireLock()
        defer { lock.release() }
        try recoverLocked()
        let m = plan.manifest
        let categoryDir = modulesDirectory + "/" + m.category
        try FileSystem.ensureDirectory(categoryDir, mode: 0o755)
        let target = target(category: m.category, name: m.name)
        let staging = staging(category: m.category, name: m.name)
        ModuleFiles.removeTree(staging)
        // The live folder may sit elsewhere (a built-in, or a different category for a built-in's name).
        let current = try registry.get(m.name).flatMap { $0.state == .archived || $0.isBuiltin ? nil : $0 }
        let versions = try registry.versions(m.name)
        let newSeq = (versions.map(\.seq).max() ?? 0) + 1

        try ModuleFiles.copyTree(plan.folder, to: staging)
        try FileSystem.writeAtomically(staging + "/" + ModuleManifest.fileName, text: m.json(withSHA256: plan.sha256).pretty() + "\n")
        if let cur = current, FileSystem.kind(of: cur.path) == .directory {
            try keepVersions(of: cur.path, currentSeq: cur.seq, into: staging, dropping: nil)
        }
        guard try ModuleFiles.digest(staging) == plan.sha256 else {
            ModuleFiles.removeTree(staging)
            throw InstallError.contentChangedDuringInstall(name: m.name)
        }
        let pending = PendingOperation(
            name: m.name, operation: current == nil ? "install" : "upgrade", category: m.category, target: target,
            staging: staging, newSeq: newSeq, newVersion: m.version, newSHA256: plan.sha256, source: plan.source,
            createdBy: m.createdBy)
        try swapIn(pending, createdBy: m.createdBy)
        guard let record = try registry.get(m.name) else { throw InstallError.io("module \(m.name): registry row missing after install") }
        return record
    }

    /// Returns the module to its previous approved version, atomically.
    public func rollback(_ name: String) throws -> ModuleRecord {
        let lock = try acquireLock()
        defer { lock.release() }
        try recoverLocked()
        guard let cur = try registry.get(name), cur.state != .archived else { throw ModuleHostError.notInstalled(name) }
        let candidates = try registry.versions(name).filter {
            $0.seq < cur.seq && FileSystem.kind(of: cur.path + "/versions/v\($0.seq)") == .directory
        }
        guard let prev = candidates.last else { throw ModuleHostError.nothingToRollBack(module: name) }
        let staging = staging(category: cur.category, name: name)
        ModuleFiles.removeTree(staging)
        try ModuleFiles.copyTree(cur.path + "/versions/v\(prev.seq)", to: staging)
        try keepVersions(of: cur.path, currentSeq: cur.seq, into: staging, dropping: prev.seq)
        guard try ModuleFiles.digest(staging) == prev.sha256 else {
            ModuleFiles.removeTree(staging)
            throw InstallError.versionModified(name: name, seq: prev.seq)
        }
        let createdBy = (try? ModuleManifest.load(folder: staging))?.createdBy
        let pending = PendingOperation(
            name: name, operation: "rollback", category: cur.category, target: cur.path, staging: staging,
            newSeq: prev.seq, newVersion: prev.version, newSHA256: prev.sha256, source: cur.source, createdBy: createdBy)
        try swapIn(pending, createdBy: createdBy)
        guard let record = try registry.get(name) else { throw InstallError.io("module \(name): registry row missing after rollback") }
        return record
    }

    /// Archives the module: its folder moves to `.archive/<name>-<time>`, its row is marked archived.
    public func remove(_ name: String) throws {
        let lock = try acquireLock()
        defer { lock.release() }
        try recoverLocked()
        guard let cur = try registry.get(name), cur.state != .archived else { throw ModuleHostError.notInstalled(name) }
        if !cur.isBuiltin && FileSystem.kind(of: cur.path) == .directory {
            let archive = modulesDirectory + "/.archive"
            try FileSystem.ensureDirectory(archive, mode: 0o700)
            try ModuleFiles.rename(cur.path, archive + "/\(name)-\(Int(WallClock.now()))-\(cur.seq)")
        }
        try registry.setState(name, .archived)
        try registry.setHealth(name, .disabled, lastError: nil)
    }

    /// `staging/versions/` = the live folder's `versions/` (hard links, they never change) plus the live
    /// content as `v<currentSeq>`, minus `v<dropping>` (the version a rollback brings back).
    func keepVersions(of live: String, currentSeq: Int, into staging: String, dropping: Int?) throws {
        try FileSystem.ensureDirectory(staging + "/versions", mode: 0o755)
        for v in FileSystem.list(live + "/versions") where v != "v\(dropping ?? -1)" && v != "v\(currentSeq)" {
            try ModuleFiles.copyTree(live + "/versions/" + v, to: staging + "/versions/" + v, hardLink: true)
        }
        try ModuleFiles.copyTree(live, to: staging + "/versions/v\(currentSeq)")
    }

    /// Journal → exchange (or rename) → commit → clean up. The only step that changes what is live.
    func swapIn(_ p: PendingOperation, createdBy: String?) throws {
        try registry.beginPending(p)
        Self.crashTestPause()
        if FileSystem.kind(of: p.target) == .directory {
            try ModuleFiles.exchange(p.staging, p.target)
        } else {
            try ModuleFiles.rename(p.staging, p.target)
        }
        if let slash = p.target.lastIndex(of: "/") { ModuleFiles.syncDirectory(String(p.target[..<slash])) }
        Self.crashTestPause()
        try registry.commit(p, manifestCreatedBy: createdBy)
        ModuleFiles.removeTree(p.staging)
    }

    /// `NEXUS_INSTALL_STEP_PAUSE_MS`: widens the windows between journal, swap and commit so the kill -9
    /// test can land inside them. Unset in normal use.
    static func crashTestPause() {
        guard let v = getenv("NEXUS_INSTALL_STEP_PAUSE_MS"), let ms = UInt32(String(cString: v)), ms > 0 else { return }
        usleep(min(ms, 1000) * 1000)
    }

    /// Finishes or undoes operations a crash interrupted: if the live folder already holds the new
    /// content, the registry is brought up to it; otherwise the staged copy is dropped. One query when
    /// nothing was interrupted.
    @discardableResult
    public func recover() throws -> [String] {
        if try registry.pending().isEmpty { return [] }
        // Another process holding the lock is mid-operation: its journal entry is not a crash.
        guard let lock = InstallLock(modulesDirectory: modulesDirectory, blocking: false) else { return [] }
        defer { lock.release() }
        return try recoverLocked()
    }

    func acquireLock() throws -> InstallLock {
        guard let lock = InstallLock(modulesDirectory: modulesDirectory, blocking: true) else {
            throw InstallError.io("\(modulesDirectory)/.install.lock: cannot lock")
        }
        return lock
    }

    @discardableResult
    func recoverLocked() throws -> [String] {
        var notes: [String] = []
        for p in try registry.pending() {
            let live = FileSystem.kind(of: p.target) == .directory ? try? ModuleFiles.digest(p.target) : nil
            if live == p.newSHA256 {
                try registry.commit(p, manifestCreatedBy: p.createdBy)
                notes.append("module \(p.name): finished the interrupted \(p.operation) to \(p.newVersion)")
            } else {
                try registry.clearPending(p.name)
                notes.append("module \(p.name): undid the interrupted \(p.operation) to \(p.newVersion)")
            }
            ModuleFiles.removeTree(p.staging)
        }
        return notes
    }
}
