import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusOrchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// Line mode catches Ctrl-C with a handler, so the children nexus starts no longer inherit "ignore SIGINT":
/// the servers it keeps running beside a chat (the local model, the embedder) must be out of the terminal's
/// foreground process group, or a Ctrl-C meant for the turn stops them half-way (llama.cpp's server then
/// outlived /quit).
@Suite struct HelperProcessGroupSpecs {
    @Test func theLocalModelServerRunsInAProcessGroupOfItsOwn() throws {
        let dir = TemporaryDirectory(prefix: "nexus-pgroup")
        let pid = try LocalModelServer.spawn(["/bin/sleep", "5"], log: dir.path + "/local-model.log")
        defer {
            ProcessControl.send(.kill, to: pid)
            _ = ChildProcess.wait(pid)
        }
        #expect(getpgid(pid) == pid, "the server leads its own group, apart from nexus's \(getpgrp())")
    }
}
