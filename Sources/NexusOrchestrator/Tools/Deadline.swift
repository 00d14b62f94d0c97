import Synchronization

/// Runs `work` in its own task and answers with its result or, when `milliseconds` pass first, with
/// `late()`, without waiting for the loser.
///
/// It exists because a task group waits for every child before it returns: a hostile embedding server that
/// answers a huge body in time made the turn wait while it was parsed, past the query budget. Here the
/// loser is cancelled and left to end on its own.
enum Deadline {
    static func race<T: Sendable>(
        milliseconds: Int, late: @escaping @Sendable () -> T, _ work: @escaping @Sendable () async -> T
    ) async -> T {
        let first = First<T>()
        let worker = Task.detached { first.finish(await work()) }
        let timer = Task.detached {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            first.finish(late())
        }
        let result = await first.wait()
        worker.cancel()
        timer.cancel()
        return result
    }
}

/// The first of several results, handed to one waiter.
private final class First<T: Sendable>: Sendable {
    private let state = Mutex<(result: T?, waiter: CheckedContinuation<T, Never>?)>((nil, nil))

    func finish(_ value: T) {
        let waiter = state.withLock { s -> CheckedContinuation<T, Never>? in
            guard s.result == nil else { return nil }
            s.result = value
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: value)
    }

    func wait() async -> T {
        await withCheckedContinuation { c in
            let ready = state.withLock { s -> T? in
                if let r = s.result { return r }
                s.waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
