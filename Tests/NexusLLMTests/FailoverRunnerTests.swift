import NexusCore
import NexusTesting
import Synchronization
import Testing

@testable import NexusLLM

#if canImport(Glibc)
    import Glibc
#endif

/// Collects values from `@Sendable` callbacks.
final class Recorder<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func add(_ t: T) { items.withLock { $0.append(t) } }
    var all: [T] { items.withLock { $0 } }
}

/// Retry, backoff and failover through a chain, against fake servers over loopback.
@Suite struct FailoverRunnerTests {
    struct Run {
        var result: Collected
        var notices: [FailoverNotice]
        var attempts: [AttemptRecord]
        var sleeps: [Double]
    }

    func run(_ chain: [FailoverCandidate], request: LLMRequest = ask("hi")) async -> Run {
        let notices = Recorder<FailoverNotice>()
        let attempts = Recorder<AttemptRecord>()
        let sleeps = Recorder<Double>()
        let runner = FailoverRunner(sleep: { sleeps.add($0) })
        let result = await collect(
            runner.stream(request, chain: chain, onNotice: { notices.add($0) }, onAttemptFinished: { attempts.add($0) })
        )
        return Run(result: result, notices: notices.all, attempts: attempts.all, sleeps: sleeps.all)
    }

    @Test func rateLimitedTwiceWithRetryAfterThenSucceeds() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(429, retryAfter: "1"), .error(429, retryAfter: "2"), .text("finally"))
        let p = try makeProvider(.openai, server: server)
        let r = await run([FailoverCandidate(provider: p, model: "fake-model")])
        #expect(r.result.error == nil)
        #expect(r.result.text == "finally")
        #expect(r.sleeps == [1, 2])
        #expect(
            r.notices == [
                .retry(provider: "fake", attempt: 2, delaySeconds: 1, reason: "rate-limited"),
                .retry(provider: "fake", attempt: 3, delaySeconds: 2, reason: "rate-limited"),
            ])
        #expect(r.attempts.map(\.outcome) == ["rate_limited", "rate_limited", "ok"])
        #expect(r.attempts.last?.tokensIn == 12)
        #expect(r.attempts.last?.attempt == 3)
    }

    @Test func serverErrorIsRetriedWithJitteredBackoff() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(500), .error(502), .text("ok"))
        let p = try makeProvider(.anthropic, server: server)
        let r = await run([FailoverCandidate(provider: p, model: "fake-model")])
        #expect(r.result.text == "ok")
        #expect(r.sleeps.count == 2)
        #expect(r.sleeps[0] >= 0 && r.sleeps[0] <= 0.5)
        #expect(r.sleeps[1] >= 0 && r.sleeps[1] <= 1.0)
    }

    @Test func droppedConnectionBeforeTextIsRetried() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.drop(after: []), .text("recovered"))
        let p = try makeProvider(.ollama, server: server)
        let r = await run([FailoverCandidate(provider: p, model: "fake-model")])
        #expect(r.result.error == nil)
        #expect(r.result.text == "recovered")
        #expect(r.attempts.map(\.outcome) == ["error", "ok"])
    }

    @Test func droppedConnectionAfterTextIsReportedNotRetried() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        let backup = try FakeProviderServer()
        defer { backup.stop() }
        server.enqueue(.drop(after: ["Half an ", "answer"]), .text("should not be used"))
        backup.enqueue(.text("nor this"))
        let chain = [
            FailoverCandidate(provider: try makeProvider(.gemini, server: server), model: "fake-model"),
            FailoverCandidate(provider: try makeProvider(.openai, server: backup, name: "backup"), model: "fake-model"),
        ]
        let r = await run(chain)
        #expect(r.result.text == "Half an answer")
        #expect(r.result.error?.kind == .streamCut)
        #expect(r.result.error?.message.contains("incomplete") == true)
        #expect(r.notices.isEmpty)
        #expect(server.remainingReplies == 1)
        #expect(backup.chatRequests.isEmpty)
        #expect(r.attempts.map(\.outcome) == ["stream_cut"])
    }

    @Test func exhaustedRetriesFallBackToTheNextModelWithANotice() async throws {
        let cloud = try FakeProviderServer()
        defer { cloud.stop() }
        let local = try FakeProviderServer(models: ["qwen2.5-coder:3b"])
        defer { local.stop() }
        cloud.enqueue(.error(429), .error(429))
        local.enqueue(.text("local answer"))
        let chain = [
            FailoverCandidate(
                provider: try makeProvider(.anthropic, server: cloud), model: "fake-model",
                retryPolicy: RetryPolicy(maxRetries: 1)),
            FailoverCandidate(
                provider: try makeProvider(.ollama, server: local, name: "local"), model: "qwen2.5-coder:3b"),
        ]
        let r = await run(chain)
        #expect(r.result.text == "local answer")
        #expect(r.notices.count == 2)
        let fallback = try #require(r.notices.last)
        #expect(fallback == .fallback(from: "fake:fake-model", to: "local:qwen2.5-coder:3b", reason: "rate-limited"))
        #expect(fallback.message == "fake rate-limited; falling back to local:qwen2.5-coder:3b")
        #expect(r.attempts.map(\.outcome) == ["rate_limited", "fallback", "ok"])
        #expect(r.attempts.last?.isLocal == true)
    }

    @Test func unauthorizedFallsBackWithoutRetrying() async throws {
        let first = try FakeProviderServer()
        defer { first.stop() }
        let second = try FakeProviderServer()
        defer { second.stop() }
        first.enqueue(.error(401))
        second.enqueue(.text("from second"))
        let chain = [
            FailoverCandidate(provider: try makeProvider(.gemini, server: first, name: "g"), model: "fake-model"),
            FailoverCandidate(provider: try makeProvider(.openai, server: second, name: "o"), model: "fake-model"),
        ]
        let r = await run(chain)
        #expect(r.result.text == "from second")
        #expect(r.sleeps.isEmpty)
        #expect(
            r.notices == [
                .fallback(from: "g:fake-model", to: "o:fake-model", reason: "unauthorized (check FAKE_API_KEY)")
            ])
    }

    @Test func retryAfterLongerThanTheCapFallsBackAtOnce() async throws {
        let policy = RetryPolicy(maxRetries: 3, maxRetryAfter: 30)
        let e = ProviderError(.rateLimited(retryAfterSeconds: 3600), provider: "x", message: "")
        #expect(policy.delay(forRetry: 1, after: e) == nil)
        #expect(
            policy.delay(
                forRetry: 1, after: ProviderError(.rateLimited(retryAfterSeconds: 4), provider: "x", message: "")) == 4)
        // Full jitter: the draw is bounded by base * 2^(n-1), capped.
        #expect(
            policy.delay(
                forRetry: 3, after: ProviderError(.server(status: 500), provider: "x", message: ""), random: { $0 })
                == 2)
        #expect(
            RetryPolicy(maxRetries: 9).delay(
                forRetry: 9, after: ProviderError(.timeout, provider: "x", message: ""), random: { $0 }) == 8)
        #expect(policy.delay(forRetry: 4, after: ProviderError(.timeout, provider: "x", message: "")) == nil)
        #expect(
            policy.delay(forRetry: 1, after: ProviderError(.badRequest(status: 400), provider: "x", message: "")) == nil
        )
    }

    @Test func badRequestIsFinalAndDoesNotFallBack() async throws {
        let first = try FakeProviderServer()
        defer { first.stop() }
        let second = try FakeProviderServer()
        defer { second.stop() }
        first.enqueue(.error(400, message: "messages: field required"))
        let chain = [
            FailoverCandidate(provider: try makeProvider(.openai, server: first), model: "fake-model"),
            FailoverCandidate(provider: try makeProvider(.openai, server: second), model: "fake-model"),
        ]
        let r = await run(chain)
        #expect(r.result.error?.kind == .badRequest(status: 400))
        #expect(r.result.error?.message.contains("messages: field required") == true)
        #expect(second.chatRequests.isEmpty)
    }

    @Test func cancellationDuringBackoffStopsTheRun() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(429, retryAfter: "20"), .text("late"))
        let p = try makeProvider(.openai, server: server)
        let runner = FailoverRunner()
        let start = MonotonicClock.nanoseconds()
        let task = Task {
            await collect(runner.stream(ask("hi"), chain: [FailoverCandidate(provider: p, model: "fake-model")]))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let c = await task.value
        #expect(MonotonicClock.millisSince(start) < 2000)
        #expect(c.text.isEmpty)
    }
}

@Suite struct RetryAfterTests {
    @Test func durationsInOpenAIHeaderForm() {
        #expect(RetryAfter.duration("1s") == 1)
        #expect(RetryAfter.duration("6m0s") == 360)
        #expect(RetryAfter.duration("250ms") == 0.25)
        #expect(RetryAfter.duration("1h2m3.5s") == 3723.5)
        #expect(RetryAfter.duration("soon") == nil)
    }

    @Test func waitsMentionedInTheMessage() {
        #expect(RetryAfter.fromMessage("Rate limit reached. Please try again in 20s. Visit ...") == 20)
        #expect(RetryAfter.fromMessage("please retry in 1.5 seconds") == 1.5)
        #expect(RetryAfter.fromMessage("Please try again in 350ms") == 0.35)
        #expect(RetryAfter.fromMessage("no hint here") == nil)
    }

    @Test func httpDateInThePastMeansNow() {
        #expect(RetryAfter.httpDate("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
        #expect(RetryAfter.httpDate("120") == nil)
    }

    @Test func openAIRateLimitWithoutRetryAfterUsesTheMessage() async throws {
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(.error(429))
        let c = await collect(try makeProvider(.openai, server: server).stream(ask("hi")))
        #expect(c.error?.kind == .rateLimited(retryAfterSeconds: 20))
    }
}

@Test func httpDateInTheFutureIsCountedFromNow() {
    let later = WallClock.now() + 90
    var secs = time_t(later)
    var t = tm()
    gmtime_r(&secs, &t)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let text =
        "\(days[Int(t.tm_wday)]), \(two(t.tm_mday)) \(months[Int(t.tm_mon)]) \(t.tm_year + 1900) \(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) GMT"
    let wait = RetryAfter.httpDate(text) ?? -1
    #expect(wait > 85 && wait <= 90)
}

@Test func cancellingMidStreamThroughTheRunnerRecordsACancelledAttempt() async throws {
    let server = try FakeProviderServer()
    defer { server.stop() }
    server.enqueue(FakeReply(.stream(FakeStream(chunks: (0..<20).map { "w\($0) " }, delayMs: 300))))
    let attempts = Recorder<AttemptRecord>()
    let runner = FailoverRunner(sleep: { _ in })
    let p = try makeProvider(.anthropic, server: server)
    let task = Task {
        await collect(
            runner.stream(
                ask("hi"), chain: [FailoverCandidate(provider: p, model: "fake-model")],
                onAttemptFinished: { attempts.add($0) }))
    }
    try await Task.sleep(for: .milliseconds(500))
    task.cancel()
    let c = await task.value
    #expect(!c.text.contains("w19"))
    var waited = 0
    while (attempts.all.isEmpty || server.openConnectionCount > 0) && waited < 3000 {
        try await Task.sleep(for: .milliseconds(50))
        waited += 50
    }
    #expect(attempts.all.map(\.outcome) == ["cancelled"])
    #expect(server.openConnectionCount == 0)
}
