import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusLLM

/// Specs of a model server's response head: libcurl hands each header line over (up to 100 KB), and the transfer
/// looks for its colon character by character.
@Suite struct ResponseHeadMarksSpecs {
    @Test func headerLinesOfOneLetterAndManyMarksAreReadInLinearTime() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let name = "a" + String(repeating: "\u{0301}\u{0316}", count: 20_000)
        server.enqueue(
            FakeReply(
                .error(
                    status: 429, message: "slow down",
                    headers: [(name, "1"), (name, "2"), (name, "3"), ("Retry-After", "7")])))
        // CPU time, not the clock: the work is this process's (libcurl and the fake server), and a loaded machine
        // stretched the clock's 0.24 s past the bound (1.7 s). The quadratic read took 3.4 s.
        let start = ProcessCPUTime.seconds()
        let c = await collect(try makeProvider(.openai, server: server).stream(ask("hi")))
        let ms = ProcessCPUTime.millisSince(start)
        #expect(c.error?.kind == .rateLimited(retryAfterSeconds: 7))
        #expect(ms < 1_500, "took \(ms) ms of CPU")
    }
}
