#if canImport(Glibc)
    import Glibc
#endif

/// A dedicated OS thread for a blocking loop (reading a module's stdout or stderr).
///
/// A thread parked in `read(2)` costs no CPU and no wake-ups while the module is idle, unlike a
/// polling transport; and blocking there never starves Swift's cooperative thread pool.
enum ReaderThread {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new detached thread. Returns false if the thread could not be created.
    @discardableResult
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attr, 256 * 1024)
        var tid = pthread_t()
        let rc = pthread_create(&tid, &attr, { arg in
            guard let arg else { return nil }
            let b = Unmanaged<Box>.fromOpaque(arg).takeRetainedValue()
            b.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        return true
    }
}
