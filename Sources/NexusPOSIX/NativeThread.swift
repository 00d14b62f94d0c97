#if canImport(Glibc)
    import Glibc
#endif

/// A named OS thread, outside Swift's cooperative pool, for work that must stay on one thread (curses)
/// or block (reading a pipe, waiting for a child, a curl transfer).
///
/// Why one place: seven targets each wrapped `pthread_create` by hand (box, retain, release on failure,
/// detach or join). `NativeThread` is the joinable kind; `DetachedThread` the fire-and-forget kind and
/// the bridge that runs one blocking call off the pool and resumes an `async` caller with its result.
public final class NativeThread: @unchecked Sendable {
    private var tid = pthread_t()
    private var started = false

    /// Starts `body` on a new thread called `name` (at most 15 bytes, as `top -H` shows it).
    /// `isRunning` is false when the thread could not be created.
    public init(name: String? = nil, _ body: @escaping @Sendable () -> Void) {
        started = ThreadStart.create(&tid, detached: false, name: name, stackSize: nil, body)
    }

    /// True when the thread was created (and not yet joined).
    public var isRunning: Bool { started }

    /// Waits for the thread to finish (once; later calls return at once).
    public func join() {
        guard started else { return }
        started = false
        pthread_join(tid, nil)
    }
}

/// Threads nobody joins: a reader loop that ends with its pipe, one blocking call bridged to `async`.
public enum DetachedThread {
    /// Starts `body` on a new detached thread named `name` (at most 15 bytes); `stackSize` in bytes
    /// when the default (8 MiB of address space) is too much for many threads. False when it could not
    /// be created.
    @discardableResult
    public static func start(
        name: String? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void
    ) -> Bool {
        var tid = pthread_t()
        return ThreadStart.create(&tid, detached: true, name: name, stackSize: stackSize, body)
    }

    /// Runs a blocking call on its own thread and returns its result, so Swift's small cooperative pool
    /// (two threads on a two-core machine) keeps serving other tasks while it blocks. When no thread can
    /// be created, runs it on the caller's thread rather than not at all.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
            if !start({ cont.resume(returning: body()) }) {
                cont.resume(returning: body())
            }
        }
    }
}

/// The one `pthread_create` call.
private enum ThreadStart {
    final class Box {
        let name: String?
        let body: @Sendable () -> Void
        init(_ name: String?, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    static func create(
        _ tid: inout pthread_t, detached: Bool, name: String?, stackSize: Int?, _ body: @escaping @Sendable () -> Void
    ) -> Bool {
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        if detached { pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED)) }
        if let stackSize { pthread_attr_setstacksize(&attr, stackSize) }
        let rc = pthread_create(
            &tid, &attr,
            { arg in
                guard let arg else { return nil }
                let b = Unmanaged<ThreadStart.Box>.fromOpaque(arg).takeRetainedValue()
                if let name = b.name { ThreadStart.nameThisThread(name) }
                b.body()
                return nil
            }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        return true
    }

    /// Names the calling thread through /proc (`pthread_setname_np` is not visible to Swift's Glibc).
    static func nameThisThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        Descriptor.writeAll(fd, Array(name.utf8.prefix(15)))
        close(fd)
    }
}
