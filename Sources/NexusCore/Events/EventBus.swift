import Synchronization

/// Fan-out of `Event`s from the kernel to every face and writer.
///
/// Publishing never waits: each subscriber has its own buffer. A UI subscriber asks for
/// `.dropOldest(capacity:)` and, when it falls behind, loses the oldest events (counted in
/// `droppedCount`); a ledger or history writer asks for `.lossless` and gets every event.
///
/// A face subscribes only once it is up, after the session has started; what the start had to say to it
/// (the admin API's address when the port was chosen by the system) is published with `publishRetained`,
/// which later subscribers receive first.
public final class EventBus: Sendable {
    public enum Delivery: Sendable {
        case lossless
        case dropOldest(capacity: Int)
    }

    private struct Subscriber: Sendable {
        let id: Int
        let continuation: AsyncStream<Event>.Continuation
        let drops: DropCounter
    }

    private struct State {
        var nextID = 0
        var subscribers: [Subscriber] = []
        var finished = false
        var retained: [Event] = []
    }

    /// How many retained events a late subscriber gets (the newest).
    public static let retainedLimit = 8

    private let state = Mutex(State())

    public init() {}

    /// Delivers `event` to every current subscriber without blocking.
    public func publish(_ event: Event) {
        let subs = state.withLock { $0.subscribers }
        for s in subs {
            if case .dropped = s.continuation.yield(event) { s.drops.increment() }
        }
    }

    public func publish(turn: Int, _ kind: EventKind) {
        publish(Event(turnID: turn, kind: kind))
    }

    /// Delivers `kind` now and to every subscriber that comes later (before their other events): for what a
    /// session's start tells a face that is not up yet. Keeps the newest `retainedLimit`.
    public func publishRetained(turn: Int, _ kind: EventKind) {
        let event = Event(turnID: turn, kind: kind)
        let subs = state.withLock { s in
            s.retained.append(event)
            if s.retained.count > Self.retainedLimit { s.retained.removeFirst(s.retained.count - Self.retainedLimit) }
            return s.subscribers
        }
        for s in subs {
            if case .dropped = s.continuation.yield(event) { s.drops.increment() }
        }
    }

    /// A new subscription; its stream ends when the bus is finished or the subscription is cancelled.
    public func subscribe(_ delivery: Delivery) -> EventSubscription {
        let policy: AsyncStream<Event>.Continuation.BufferingPolicy
        switch delivery {
        case .lossless: policy = .unbounded
        case .dropOldest(let capacity): policy = .bufferingNewest(max(1, capacity))
        }
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: policy)
        let drops = DropCounter()
        let id: Int? = state.withLock { s in
            if s.finished { return nil }
            s.nextID += 1
            // Yielded under the lock, so a retained event is never both replayed here and delivered live.
            for event in s.retained { continuation.yield(event) }
            s.subscribers.append(Subscriber(id: s.nextID, continuation: continuation, drops: drops))
            return s.nextID
        }
        if let id {
            continuation.onTermination = { [weak self] _ in self?.remove(id) }
        } else {
            continuation.finish()
        }
        return EventSubscription(events: stream, drops: drops, cancel: { continuation.finish() })
    }

    /// Ends every subscriber's stream after the events already buffered; later publishes go nowhere.
    public func finish() {
        let subs = state.withLock { s in
            s.finished = true
            defer { s.subscribers = [] }
            return s.subscribers
        }
        for s in subs { s.continuation.finish() }
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private func remove(_ id: Int) {
        state.withLock { $0.subscribers.removeAll { $0.id == id } }
    }
}

/// One subscriber's view of the bus: its events, and how many it lost by falling behind.
public struct EventSubscription: Sendable {
    public let events: AsyncStream<Event>
    let drops: DropCounter
    let cancel: @Sendable () -> Void

    public var droppedCount: Int { drops.value }
    public func cancelSubscription() { cancel() }
}

/// A thread-safe count of events a subscriber lost.
final class DropCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
