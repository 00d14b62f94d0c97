#if canImport(Glibc)
    import Glibc
#endif

/// A dedicated OS thread for a blocking loop (reading a module's stdout or stderr).
///
/// A thread parked in `read(2)` costs no CPU and no wake-ups while the module is idle, unlike a
/// polling transport; and blocking there never starves Swift's cooperative thread pool.
enum ReaderThread {
    private final class Box {
        let name: String?
        let body: @Sendable () -> Void
        init(_ name: String?, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        func run() {
            if let name { ReaderThread.nameThisThread(name) }
            body()
        }
    }

    /// Starts `body` on a new detached thread, named `name` (at most 15 bytes; `top -H` and
    /// `/proc/PID/task/*/comm` show it). Returns false if the thread could not be created.
    @discardableResult
    static func start(name: String? = nil, _ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attr, 256 * 1024)
        var tid = pthread_t()
        let rc = pthread_create(
            &tid, &attr,
            { arg in
                guard let arg else { return nil }
                let b = Unmanaged<Box>.fromOpaque(arg).takeRetainedValue()
                b.run()
                return nil
            }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        return true
    }

    /// Names the calling thread (through /proc: Glibc's `pthread_setname_np` is not visible to Swift).
    fileprivate static func nameThisThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
