import NexusCore
import NexusServer
import Testing

/// Specs of requests to the admin API, without the token, carrying one letter and many combining marks out of
/// canonical order through the front over loopback. The front's HTTP/1.1 parser refuses raw UTF-8 in the request line
/// and a request head over about 80 KB, but passes a header value of 40,000 raw marks on to nexus, which compares the
/// Origin with the loopback names before it looks at the token: Swift's `String` does that in time quadratic in the
/// marks, unless they are read in canonical order (`MarkOrder`, as the JSON of the admin channel is read).
@Suite(.serialized) struct AdminMarksSpecs {
    @Test func anOriginOfOneLetterAndFortyThousandMarksIsRefusedInLinearTime() async throws {
        let h = try await AdminAPISpecs.Harness.start()
        defer { Task { await h.close() } }
        let origin = "http://a" + String(repeating: "\u{0301}\u{0316}", count: 20_000)
        let start = MonotonicClock.nanoseconds()
        let reply = h.http.send("GET", "/v1/routing", headers: ["Origin": origin])
        let ms = MonotonicClock.millisSince(start)
        #expect(reply?.status == 403)
        #expect(ms < 2_000, "took \(ms) ms")
        #expect(h.http.send("GET", "/healthz")?.status == 200)
    }
}
