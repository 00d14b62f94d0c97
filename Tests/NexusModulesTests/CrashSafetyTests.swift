import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 of a real `nexus modules install|rollback` at random moments: afterwards the registry and
/// the files agree, and the module runs as either the old or the new version.
@Suite struct CrashSafetyTests {
    static let binary: String = {
        var p = Fixtures.directory
        for _ in 0..<3 { p = String(p[..<(p.lastIndex(of: "/") ?? p.endIndex)]) }
        return p + "/.build/debug/nexus"
    }()

    /// Runs the built nexus with `args`; kills its process group after `killAfterMs` (nil: let it finish).
    static func runNexus(_ args: [String], home: String, killAfterMs: Double?, pauseMs: Int = 0) throws -> String {
        let spec = LaunchSpec(
            module: "nexus-cli", command: [binary] + args + ["--home", home],
            workingDirectory: home,
            environment: ["NEXUS_BUILTIN_MODULES": "", "NEXUS_INSTALL_STEP_PAUSE_MS": "\(pauseMs)"], networkAllow: [])
        let p = try DirectLauncher().launch(spec)
        p.closeStdin()
        if let ms = killAfterMs {
            usleep(UInt32(ms * 1000))
            p.signal(.kill)
        }
        let out = ModuleTestRunner.readAll(p.stdout) + ModuleTestRunner.readAll(p.stderr)
        p.reap()
        return (p.exitDescription ?? "?") + ": " + String(decoding: out, as: UTF8.self)
    }

    @Test func killNineDuringInstallUpgradeAndRollbackLeavesAWorkingVersion() async throws {
        guard FileSystem.kind(of: Self.binary) == .file else {
            print("skipped: \(Self.binary) not built (run swift build first)")
            return
        }
        let dir = TemporaryDirectory(prefix: "nexus-kill9")
        defer { dir.remove() }
        let home = dir.path + "/home"
        try FileSystem.ensureDirectory(home, mode: 0o700)
        let sources = ["1.0.0", "2.0.0", "3.0.0"].map { Fixtures.moduleFolder(in: dir, name: "sturdy", version: $0) }
        let first = try Self.runNexus(["modules", "install", sources[0], "--yes"], home: home, killAfterMs: nil)
        #expect(first.hasPrefix("exit status 0"), "\(first)")

        // Calibrate: how long one full upgrade takes on this machine right now.
        let t0 = MonotonicClock.nanoseconds()
        _ = try Self.runNexus(["modules", "install", sources[1], "--yes"], home: home, killAfterMs: nil)
        let full = max(20, MonotonicClock.millisSince(t0))

        var outcomes: [String: Int] = [:]
        var rng = SystemRandomNumberGenerator()
        for run in 0..<50 {
            let db = try Database(path: home + "/nexus.db")
            let registry = ModuleRegistry(database: db)
            let before = try #require(try registry.get("sturdy")).version
            let args: [String]
            var candidates: Set<String> = [before]
            if run % 5 == 4 {
                args = ["modules", "rollback", "sturdy"]
                for v in try registry.versions("sturdy") { candidates.insert(v.version) }
            } else {
                let src = sources[(run % 2) + 1]
                args = ["modules", "install", src, "--yes"]
                candidates.insert(run % 2 == 0 ? "2.0.0" : "3.0.0")
            }
            // Every other run widens the journal → swap → commit windows (40 ms each) so kills land there too.
            let pause = run % 2 == 1 ? 40 : 0
            let delay = Double.random(in: 0...(full * 1.3 + Double(pause * 2)), using: &rng)
            let result = try Self.runNexus(args, home: home, killAfterMs: delay, pauseMs: pause)
            outcomes[result.hasPrefix("killed") ? "killed" : "finished", default: 0] += 1

            // What a later nexus sees: recovery first, then the registry must describe the files.
            let installer = ModuleInstaller(registry: registry, modulesDirectory: home + "/modules")
            for note in try installer.recover() {
                outcomes[note.contains("finished") ? "recovered: finished" : "recovered: undone", default: 0] += 1
            }
            let rec = try #require(try registry.get("sturdy"), "run \(run): registry row lost")
            #expect(candidates.contains(rec.version), "run \(run): version \(rec.version) not in \(candidates)")
            #expect(
                try ModuleFiles.digest(rec.path) == rec.sha256,
                "run \(run) (\(args[1]) killed after \(Int(delay)) ms): files do not match the registry")
            #expect(try registry.pending().isEmpty)
            if run % 5 == 0 || run == 49 {
                let host = ModuleHost(
                    registry: registry, bus: EventBus(), options: .init(modulesDirectory: home + "/modules"))
                let r = await host.call(toolName: "sturdy__whoami", arguments: [:], approval: FixedApprovals(.yes))
                #expect(
                    r.content == rec.version, "run \(run): module answered \(r.content), registry says \(rec.version)")
                await host.shutdownAll()
            }
        }
        print("kill -9 runs: \(outcomes)")
        #expect(outcomes["killed", default: 0] >= 5, "too few runs were actually killed to mean anything: \(outcomes)")
    }
}
