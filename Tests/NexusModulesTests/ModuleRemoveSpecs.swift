import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusModules

/// `modules remove` says where the files went: an installed module's to the archive (by its full path), a
/// built-in's nowhere (they are nexus's own), with the command that brings it back.
@Suite struct ModuleRemoveSpecs {
    @Test func removingABuiltInSaysItsFilesStayAndHowToBringItBack() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let root = f.dir.path + "/builtins"
        let src = Fixtures.moduleFolder(in: f.dir, name: "clock", category: "system")
        try ModuleFiles.copyTree(src, to: root + "/system/clock")
        let host = ModuleHost(
            registry: f.registry, bus: f.bus,
            options: .init(modulesDirectory: f.dir.path + "/modules", builtinDirectory: root))
        defer { Task { await host.shutdownAll() } }
        await host.discoverBuiltins()
        let commands = ModuleCommands(host: host, installer: f.installer)
        let text = try await commands.remove("clock")
        #expect(
            text == "removed clock (a built-in: its files stay in \(root)/system/clock; bring it back with: "
                + "nexus modules install \(root)/system/clock)", "\(text)")
        #expect(FileSystem.kind(of: root + "/system/clock") == .directory, "a built-in's files are never moved")
        let info = try await commands.info("clock")
        #expect(info.contains("path: none (removed: a built-in, whose files stay in \(root)/system/clock)"), "\(info)")
    }

    @Test func removingAnInstalledModuleNamesTheArchiveByItsFullPath() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("gone")
        let text = try await ModuleCommands(host: f.host, installer: f.installer).remove("gone")
        #expect(text == "removed gone (archived under \(f.dir.path)/modules/.archive)", "\(text)")
    }
}
