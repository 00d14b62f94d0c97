import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

/// A module folder is code: one that holds more than `[modules] max_folder_mb` is refused before anything is
/// copied, in one line naming the folder's size, its largest file and the limit, with the way out.
@Suite struct ModuleFolderSizeSpecs {
    /// A module folder `name` with a data file of `megabytes`, and an installer that allows 2 MB.
    func module(_ f: HostFixture, _ name: String, megabytes: Int) throws -> (String, ModuleInstaller) {
        let folder = Fixtures.moduleFolder(in: f.dir, name: name)
        try FileSystem.writeFile(folder + "/data.bin", [UInt8](repeating: 7, count: megabytes << 20), mode: 0o644)
        let installer = ModuleInstaller(registry: f.registry, modulesDirectory: f.dir.path + "/modules", maxFolderMB: 2)
        return (folder, installer)
    }

    @Test func aFolderOverTheLimitIsRefusedNamingItsLargestFileBeforeAnythingIsCopied() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let (folder, installer) = try module(f, "bulky", megabytes: 3)
        do {
            _ = try installer.prepare(.folder(folder))
            Issue.record("a 3 MB folder was accepted under a 2 MB limit")
        } catch let error as InstallError {
            #expect(error.userMessage.contains("holds 3.0 MB, over the 2 MB a module may hold"), "\(error.userMessage)")
            #expect(error.userMessage.contains("its largest file is data.bin (3.0 MB)"), "\(error.userMessage)")
            #expect(error.hint?.contains("[modules] max_folder_mb") == true, "\(error.hint ?? "")")
            #expect(error.exitCode == .usage)
        }
        let left = FileSystem.list(f.dir.path + "/modules").filter { $0.hasPrefix(".nexus-") }
        #expect(left.isEmpty, "nothing was copied: \(left)")
        #expect(FileSystem.kind(of: f.dir.path + "/module-versions/bulky") == .missing)
    }

    @Test func aFolderWithinTheLimitInstallsWithItsKeptVersionAsTheOnlyOtherCopy() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let (folder, installer) = try module(f, "roomy", megabytes: 1)
        let record = try installer.commit(try installer.prepare(.folder(folder)))
        #expect(try ModuleFiles.digest(record.path) == record.sha256)
        #expect(FileSystem.list(f.dir.path + "/modules/testing").filter { $0.hasPrefix(".nexus-") }.isEmpty)
    }

    @Test func anInstallWithSettingsLeavesTheSourcesCachesOut() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let folder = Fixtures.moduleFolder(in: f.dir, name: "cached")
        try FileSystem.ensureDirectory(folder + "/__pycache__", mode: 0o755)
        try FileSystem.writeFile(folder + "/__pycache__/adapter.cpython-311.pyc", [1, 2, 3], mode: 0o644)
        var settings = InstallSettings()
        settings.memoryMB = 256
        let record = try f.installer.commit(try f.installer.prepare(.folder(folder), settings: settings))
        #expect(FileSystem.kind(of: record.path + "/__pycache__") == .missing)
        #expect(try ModuleFiles.digest(record.path) == record.sha256)
    }
}
