import NexusCore
import NexusPOSIX
import NexusStore

/// The staged, journaled, atomic part of installing and rolling back.
extension ModuleInstaller {
    /// Installs an approved plan: stage → verify → keep as a version → journal → exchange → registry commit.
    ///
    /// Nothing is read from the live folder (a running module may be changing it): the new content comes
    /// from the plan's folder, and the version being replaced was kept when it was installed.
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
        if let cur = current {
            _ = try ModulePin.settleLegacy(module: m.name, folder: cur.path, approved: cur.sha256, store: versionStore)
        }
        let versions = try registry.versions(m.name)
        let newSeq = (versions.map(\.seq).max() ?? 0) + 1

        // A copy nexus made itself (the runtime helper or settings added) becomes the staged folder by a
        // rename: the folder is copied once into place and once into its kept version, never a third time.
        // The digest below still holds what is staged to what was approved.
        let renamed = plan.scratch == plan.folder && plan.scratch.map { FileSystem.rename($0, to: staging) } == true
        if !renamed {
            do { try ModuleFiles.copyTree(plan.folder, to: staging, scope: .withoutCaches) } catch {
                throw InstallError.copying(error)
            }
        }
        try FileSystem.writeAtomically(
            staging + "/" + ModuleManifest.fileName, text: m.json(withSHA256: plan.sha256).pretty() + "\n")
        guard try ModuleFiles.digest(staging) == plan.sha256 else {
            ModuleFiles.removeTree(staging)
            throw InstallError.contentChangedDuringInstall(name: m.name)
        }
        try versionStore.keep(staging, name: m.name, seq: newSeq, sha256: plan.sha256)
        let pending = PendingOperation(
            name: m.name, operation: current == nil ? "install" : "upgrade", category: m.category, target: target,
            staging: staging, newSeq: newSeq, newVersion: m.version, newSHA256: plan.sha256, source: plan.source,
            createdBy: m.createdBy)
        try swapIn(pending, createdBy: m.createdBy)
        guard let record = try registry.get(m.name) else {
            throw InstallError.io("module \(m.name): registry row missing after install")
        }
        return record
    }

    /// Returns the module to its previous approved version (from the version store), atomically.
    public func rollback(_ name: String) throws -> ModuleRecord {
        let lock = try acquireLock()
        defer { lock.release() }
        try recoverLocked()
        guard let cur = try registry.get(name), cur.state != .archived else { throw ModuleHostError.notInstalled(name) }
        _ = try ModulePin.settleLegacy(module: name, folder: cur.path, approved: cur.sha256, store: versionStore)
        guard let prev = try rollbackTarget(cur) else { throw ModuleHostError.nothingToRollBack(module: name) }
        let staging = staging(category: cur.category, name: name)
        ModuleFiles.removeTree(staging)
        try ModuleFiles.copyTree(versionStore.path(name, seq: prev.seq), to: staging)
        guard try ModuleFiles.digest(staging) == prev.sha256 else {
            ModuleFiles.removeTree(staging)
            throw InstallError.versionModified(name: name, seq: prev.seq)
        }
        // Provenance for `modules info` only: a staging manifest that does not load has none.
        let createdBy = (try? ModuleManifest.load(folder: staging))?.createdBy
        let pending = PendingOperation(
            name: name, operation: "rollback", category: cur.category, target: cur.path, staging: staging,
            newSeq: prev.seq, newVersion: prev.version, newSHA256: prev.sha256, source: cur.source, createdBy: createdBy
        )
        try swapIn(pending, createdBy: createdBy)
        guard let record = try registry.get(name) else {
            throw InstallError.io("module \(name): registry row missing after rollback")
        }
        return record
    }

    /// The version `rollback` returns to: the newest earlier one still kept whose files differ from the running
    /// ones (a version with the files running now, a reinstall of the same thing, is no step back).
    public func rollbackTarget(_ cur: ModuleRecord) throws -> ModuleVersion? {
        try registry.versions(cur.name).last {
            $0.seq < cur.seq && $0.sha256 != cur.sha256 && versionStore.has(cur.name, seq: $0.seq)
        }
    }

    /// Archives the module: its folder moves to `.archive/<name>-<time>`, its kept versions to
    /// `module-versions/.archive/`, its row is marked archived.
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
        if !cur.isBuiltin { try versionStore.archive(name) }
        try registry.setState(name, .archived)
        try registry.setHealth(name, .disabled, lastError: nil)
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
        guard let v = Environment.get("NEXUS_INSTALL_STEP_PAUSE_MS"), let ms = Int(v), ms > 0 else { return }
        Pause.milliseconds(min(ms, 1000))
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
            // A live folder that cannot be read does not match: the interrupted operation is undone (the safe side).
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
