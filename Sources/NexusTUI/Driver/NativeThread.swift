import CNCursesW

#if canImport(Glibc)
    import Glibc
#endif

/// A plain POSIX thread for work that must stay on one thread (curses) or block (reading stdin),
/// kept off Swift's cooperative pool so it never starves async tasks.
final class NativeThread: @unchecked Sendable {
    private final class Box {
        let name: String
        let body: @Sendable () -> Void
        init(_ name: String, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private var tid = pthread_t()
    private var started = false

    /// Starts `body` on a new thread called `name` (at most 15 bytes, as `top -H` shows it).
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        let rc = pthread_create(
            &tid, nil,
            { p in
                guard let p else { return nil }
                let b = Unmanaged<Box>.fromOpaque(p).takeRetainedValue()
                nx_name_thread(String(b.name.utf8.prefix(15)) ?? "nexus")
                b.body()
                return nil
            }, box)
        if rc == 0 {
            started = true
        } else {
            Unmanaged<Box>.fromOpaque(box).release()
        }
    }

    var isRunning: Bool { started }

    /// Waits for the thread to finish (once).
    func join() {
        guard started else { return }
        started = false
        pthread_join(tid, nil)
    }
}
