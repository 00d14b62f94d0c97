import NexusCore
import NexusTesting
import Testing

@testable import NexusModules

/// Specs of a module whose protocol words (a request's method, a notification's, a content block's type) are one
/// letter and 200,000 combining marks: nexus compares each with the words it knows, and Swift's `String` `==` puts
/// the marks in canonical order first, in time quadratic in them (28 s a comparison, `swiftc -O`).
@Suite(.serialized) struct ModuleWordsWithManyMarksSpecs {
    @Test func aModuleWhoseMethodsAndContentTypesAreOneLetterAndManyMarksCannotStallTheHost() async throws {
        let f = try HostFixture()
        defer { Task { await f.close() } }
        try await f.install("words", mode: "marked_words")
        try await f.install("calm")
        let start = MonotonicClock.nanoseconds()
        // The module asks nexus a request and sends a notification of that method, then answers with a content
        // block of that type: the request is refused, the notification ignored, the block shown as JSON.
        let r = await f.text("words", "echo", ["text": "unused"])
        let ms = MonotonicClock.millisSince(start)
        #expect(!r.isError, "\(r.content.utf8.prefix(200))")
        #expect(Array(r.content.utf8.suffix(5)) == Array("\ndone".utf8))
        // Linear work takes a second or two here (15 s at a load of 8); before, each of the six comparisons took
        // half a minute or more.
        #expect(ms < 60_000, "the call took \(ms) ms")
        // The host still serves the other modules.
        #expect(await f.text("calm", "add", ["a": 2, "b": 3]).content == "5")
    }
}
