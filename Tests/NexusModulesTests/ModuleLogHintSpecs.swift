import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

/// A module that dies tells the person where its log is as a path they can open: it said
/// `logs/modules/M.log`, relative to nothing (not the working directory, not the home they may not know).
@Suite struct ModuleLogHintSpecs {
    @Test func aModuleThatExitsDuringItsHandshakeNamesItsLogByItsFullPathUnderTheHome() async throws {
        let f = try HostFixture()
        try await f.install("leaver", mode: "exit_handshake")
        let e = await #expect(throws: MCPError.self) { _ = try await f.host.start("leaver") }
        let hint = e?.hint ?? ""
        #expect(hint.contains("see the module's log (\(f.dir.path)/logs/modules/leaver.log)"), "\(hint)")
        #expect(hint.hasSuffix("run: nexus modules test leaver"), "\(hint)")
        #expect(!hint.contains("(logs/modules"), "\(hint)")
        await f.close()
    }

    @Test func withoutALogTheHintSaysOnlyWhatToRun() {
        let e = MCPError.exited(module: "m", status: "exit status 1", during: "a call", stderrTail: "")
        #expect(e.hint == "run: nexus modules test m")
    }
}
