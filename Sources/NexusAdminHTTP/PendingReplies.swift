import NexusAdminChannel
import NexusCore
import Synchronization

/// The requests forwarded to nexus and not yet answered, by id: each HTTP handler waits here for its reply.
///
/// A reply for an id nobody waits for (answered already, timed out, or invented) is dropped. A request
/// nexus does not answer within `timeoutSeconds` gets 504, so a connection never hangs on the channel.
final class PendingReplies: Sendable {
    private struct State {
        var nextID = 1
        var waiting: [Int: CheckedContinuation<AdminResponse, Never>] = [:]
        var closed = false
    }
    private let state = Mutex(State())
    let timeoutSeconds: Int

    init(timeoutSeconds: Int = 120) { self.timeoutSeconds = timeoutSeconds }

    /// Sends `request` (given its id) through `send` and waits for the reply.
    func exchange(_ request: AdminRequest, send: @Sendable (AdminRequest) -> Bool) async -> AdminResponse {
        let id = state.withLock { s -> Int in
            defer { s.nextID += 1 }
            return s.nextID
        }
        var request = request
        request.id = id
        let timeout = Task { [timeoutSeconds] in
            try await Task.sleep(for: .seconds(timeoutSeconds))
            self.resolve(id, Self.failure(504, "nexus did not answer within \(timeoutSeconds) s"))
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { c in
            let open = state.withLock { s -> Bool in
                guard !s.closed else { return false }
                s.waiting[id] = c
                return true
            }
            if !open {
                c.resume(returning: Self.failure(502, "nexus has gone"))
            } else if !send(request) {
                resolve(id, Self.failure(502, "nexus has gone"))
            }
        }
    }

    /// Hands `response` to the request `id`; false when nobody waits for that id.
    @discardableResult
    func resolve(_ id: Int, _ response: AdminResponse) -> Bool {
        guard let c = state.withLock({ $0.waiting.removeValue(forKey: id) }) else { return false }
        c.resume(returning: response)
        return true
    }

    /// Answers every waiting request with 502 and refuses new ones (the channel ended).
    func closeAll() {
        let all = state.withLock { s -> [CheckedContinuation<AdminResponse, Never>] in
            s.closed = true
            defer { s.waiting = [:] }
            return Array(s.waiting.values)
        }
        for c in all { c.resume(returning: Self.failure(502, "nexus has gone")) }
    }

    static func failure(_ status: Int, _ message: String) -> AdminResponse {
        let body: JSONValue = ["error": .string(message)]
        return AdminResponse(
            status: status, headers: [.init("content-type", "application/json")],
            body: Array((body.serialized + "\n").utf8))
    }
}
