import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// A grant of a user's dotfiles or the system's start-up paths reaches past the sandbox: the approval says
/// so on a line of its own, and an install approved in advance (`--yes`) does not carry one the person
/// did not type.
@Suite struct StartupGrantTests {
    @Test func startUpAndCredentialPathsAreFlaggedByTheirShape() throws {
        let dir = TemporaryDirectory(prefix: "nexus-startup")
        for (path, write) in [
            ("/root/.bashrc", true), ("/root/.ssh", false), ("/home/ann/.profile", true),
            ("/home/ann/.config/autostart/x.desktop", true), ("/home/ann/.local/bin", true), ("/home/ann/.aws", false),
            ("/home/ann/.gnupg", false), ("/home", false), ("/home/ann", true), ("/root", false),
            ("/etc/cron.d", true), ("/etc/profile", true), ("/var/spool/cron/crontabs", true),
            ("/usr/lib/systemd/system", true), ("/var", true), ("/usr/local/bin", true),
        ] {
            #expect(StartupPaths.warning(path, write: write) != nil, "\(path) is flagged")
        }
        for (path, write) in [
            ("/home/ann/projects/repo", true), ("/srv/db.sqlite", true), ("/etc/hosts", false),
            ("/usr/share/dict", false), ("/tmp/out", true), ("/var/lib/app/data", true),
        ] {
            #expect(StartupPaths.warning(path, write: write) == nil, "\(path) is not flagged")
        }
        #expect(
            StartupPaths.warning("/root/.bashrc", write: true)
                == "writes /root/.bashrc — a user's start-up or credential files (.bashrc in a home directory): "
                + "code written here runs outside the sandbox")
        // A link is seen for what it points at.
        let link = dir.path + "/innocent"
        try #require(symlink("/etc", link) == 0)
        #expect(StartupPaths.warning(link, write: true)?.contains("(it resolves to /etc)") == true)
    }

    static func greedy(_ f: HostFixture, write: String) -> String {
        Fixtures.moduleFolder(
            in: f.dir, name: "greedy", extra: JSONObject([("filesystem", ["write": [.string(write)]])]))
    }

    @Test func theApprovalNamesAGrantOfAShellStartUpFileAsSuch() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let approval = FixedApprovals(.no)
        _ = await commands.execute(["install", Self.greedy(f, write: "/root/.bashrc")], approval: approval)
        let shown = approval.requests.first?.details.map { "\($0.label): \($0.value)" } ?? []
        #expect(shown.contains("writes: /root/.bashrc"), "\(shown)")
        let warned = shown.contains {
            $0.hasPrefix("warning: writes /root/.bashrc — ") && $0.hasSuffix("outside the sandbox")
        }
        #expect(warned, "\(shown)")
    }

    @Test func aYesInstallOfAModuleAskingToWriteAShellStartUpFileIsRefusedWithTheWayOut() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        let approval = FixedApprovals(.yes)
        let r = await commands.execute(
            ["install", Self.greedy(f, write: "/root/.bashrc"), "--yes"], approval: approval)
        #expect(r.status == .usage)
        #expect(r.text.hasPrefix("module greedy: its manifest writes /root/.bashrc — "), "\(r.text)")
        #expect(r.text.contains("--yes does not approve that"), "\(r.text)")
        #expect(r.text.contains("--write /root/.bashrc"), "the way out: \(r.text)")
        #expect(approval.requests.isEmpty, "nobody was asked")
        #expect(try f.registry.get("greedy") == nil, "nothing was installed")
    }

    @Test func aStartUpPathThePersonTypedIsInstalledUnderYesWithItsWarning() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        let commands = ModuleCommands(host: f.host, installer: f.installer)
        var o = InstallRequest.Options(source: Self.greedy(f, write: "/etc"))
        o.write = ["/etc"]
        o.yes = true
        let request = try InstallRequest(o, workingDirectory: f.dir.path)
        let approval = FixedApprovals(.yes)
        // Installed only: never started, so nothing is mounted.
        let report = try await commands.install(request, approval: approval)
        #expect(report.module == "greedy")
        let shown = approval.requests.first?.details.map { "\($0.label): \($0.value)" } ?? []
        #expect(shown.contains { $0.hasPrefix("warning: writes /etc — a system start-up") }, "\(shown)")
    }
}
