import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A module folder holding a symbolic link to a file outside it is refused for what it is, with what to
/// do, not as a permission problem.
@Suite struct ModuleInstallLinkEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-install-link")

    @Test(arguments: [false, true])
    func aLinkOutOfTheFolderIsRefusedNamingTheLinkAndTheWayOut(carriesHelper: Bool) throws {
        try #require(NexusBinary.exists)
        let folder = ModuleFixture.echo(in: dir)
        // With its own nexus_adapter.py the folder is copied at commit; without, first with the helper added.
        if carriesHelper { dir.write("echo-src/nexus_adapter.py", "# the module's own copy\n") }
        try #require(symlink("/etc/hostname", folder + "/outside.txt") == 0)
        let e = ["NEXUS_HOME": dir.path + "/home-\(carriesHelper)", "NO_COLOR": "1"]
        let r = NexusBinary.run(["modules", "install", folder, "--yes"], env: e, timeout: 60)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("outside.txt: a symbolic link that points outside the module folder"), "\(r.stderr)")
        #expect(r.stderr.contains("replace the link with the file"), "\(r.stderr)")
        #expect(!r.stderr.contains("permissions"), "\(r.stderr)")
    }
}
