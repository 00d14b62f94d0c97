import NexusAdminChannel
import NexusCore
import NexusPOSIX
import Synchronization

/// nexus's end of the channel to the HTTP front: answers each forwarded request with `AdminHandler` and
/// watches the front's life.
///
/// Everything the front sends is hostile input. A frame that does not decode, a message this side does not
/// take (a reply, a second ready, a request before ready), or an id already in flight is dropped with a
/// notice line; a length over the cap ends the channel and the front. None of it crashes nexus or blocks a
/// task of the session: reading and writing run on threads of the link, each request in a task of its own,
/// at most `maxInFlight` at once (more get 503 at once).
public final class AdminChannel: Sendable {
    /// `.success(port)` once the front listens, or why it could not.
    let started = OneShot<Result<Int, any Error>>()
    /// Set when the channel has ended and the front is gone.
    let ended = OneShot<Bool>()

    public static let maxInFlight = 256
    /// Notices beyond this many are counted, not printed: a misbehaving front must not flood the session.
    static let maxNotices = 10

    private let pid: Int32?
    private let handler: AdminHandler
    private let notice: @Sendable (String) -> Void
    private struct State {
        var inFlight: Set<Int> = []
        var stopping = false
        var reaped = false
        var notices = 0
        var link: AdminLink?
    }
    private let state = Mutex(State())

    /// Serves requests arriving on `fd` (which it now owns); `pid` is the front to end and reap, nil when the
    /// peer is not a child of ours (tests).
    public init(fd: Int32, pid: Int32?, handler: AdminHandler, notice: @escaping @Sendable (String) -> Void) {
        self.pid = pid
        self.handler = handler
        self.notice = notice
        let link = AdminLink(
            fd: fd, name: "nexus-admin",
            onMessage: { [weak self] in self?.received($0) },
            onDropped: { [weak self] in self?.say("dropped a frame from nexus-admin: \($0)") },
            onEnd: { [weak self] in self?.linkEnded($0) })
        state.withLock { $0.link = link }
    }

    /// The front's port once it listens, or its one-line failure.
    public func waitUntilListening() async -> Result<Int, any Error> { await started.wait() }

    /// Returns when the channel has ended.
    public func waitUntilEnded() async { _ = await ended.wait() }

    private var link: AdminLink? { state.withLock { $0.link } }

    /// Whether `end()` was asked for (false after the front ended on its own).
    var wasStopped: Bool { state.withLock { $0.stopping } }

    private func say(_ line: String) {
        let n = state.withLock { s -> Int in
            s.notices += 1
            return s.notices
        }
        if n <= Self.maxNotices {
            notice("admin server: " + line)
        } else if n == Self.maxNotices + 1 {
            notice("admin server: more problems with nexus-admin's channel; not reporting each one")
        }
    }

    private func received(_ message: AdminMessage) {
        switch message {
        case .ready(let port):
            if started.isFinished { return say("nexus-admin said ready twice; ignored") }
            started.finish(.success(port))
        case .failed(let text):
            if started.isFinished { return say("nexus-admin reported after start: \(text.prefix(200))") }
            started.finish(.failure(FrontFailure(text: text)))
        case .reply(let id, _):
            say("nexus-admin sent a reply (id \(id)); only nexus replies, dropped")
        case .request(let request):
            guard started.isFinished else { return say("request \(request.id) before ready; dropped") }
            let admitted = state.withLock { s -> Bool? in
                guard !s.inFlight.contains(request.id) else { return nil }
                guard s.inFlight.count < Self.maxInFlight else { return false }
                s.inFlight.insert(request.id)
                return true
            }
            switch admitted {
            case nil: say("request id \(request.id) is already in flight; dropped")
            case false?:
                let busy = AdminReply.error(503, "too many requests in flight", hint: "retry shortly")
                link?.send(.reply(id: request.id, busy.response))
            case true?:
                let handler = handler
                Task { [weak self] in
                    var response = await handler.respond(to: request)
                    // A frame over the cap would end the channel on the front's side: answer 500 instead.
                    if response.body.count > AdminFrame.maxLength - 65_536 {
                        response =
                            AdminReply.error(
                                AdminReply.Status.internalServerError,
                                "answer of \(response.body.count) bytes is over the channel's cap"
                            ).response
                    }
                    self?.link?.send(.reply(id: request.id, response))
                    self?.state.withLock { _ = $0.inFlight.remove(request.id) }
                }
            }
        }
    }

    private func linkEnded(_ end: AdminLink.End) {
        let stopping = state.withLock { $0.stopping }
        if case .broken = end, let pid { ProcessControl.send(.terminate, to: pid) }
        let status = reapOnce(grace: 2)
        let how = status.map { "; nexus-admin \($0)" } ?? ""
        if !started.isFinished {
            started.finish(
                .failure(FrontFailure(text: "nexus-admin ended before it listened (\(describe(end))\(how))")))
        } else if !stopping {
            say("channel to nexus-admin ended: \(describe(end))\(how); chat goes on without the admin server")
        }
        ended.finish(true)
    }

    private func describe(_ end: AdminLink.End) -> String {
        switch end {
        case .closed: "closed"
        case .truncated(let n): "closed in the middle of a frame (\(n) bytes cut short)"
        case .broken(let why): why
        }
    }

    /// Reaps the front (killing it after `grace` seconds), once, whoever asks first; nil when another
    /// caller did or there is no child.
    private func reapOnce(grace: Double) -> WaitStatus? {
        guard let pid,
            state.withLock({ s -> Bool in
                defer { s.reaped = true }
                return !s.reaped
            })
        else { return nil }
        return ChildProcess.reap(pid, within: grace)
    }

    /// Ends the front (SIGTERM: it finishes the requests in flight, then exits) and the channel. The reader
    /// thread reaps the front when its end of the channel closes, and `ended` is set only after that, so
    /// nexus never exits leaving the front behind; a front still there after 3 s is killed.
    public func end() async {
        state.withLock { $0.stopping = true }
        guard let pid else {
            link?.stop()
            return await waitUntilEnded()
        }
        ProcessControl.send(.terminate, to: pid)
        let deadline = Task { [weak self] in
            try await Task.sleep(for: .seconds(3))
            guard let self, !self.ended.isFinished else { return }
            ProcessControl.send(.kill, to: pid)
            self.link?.stop()
        }
        await waitUntilEnded()
        deadline.cancel()
    }
}

/// The front's own one-line reason for not listening (for `AdminServer.describe`).
struct FrontFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
