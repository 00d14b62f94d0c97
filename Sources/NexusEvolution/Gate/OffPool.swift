#if canImport(Glibc)
    import Glibc
#endif

/// Runs a blocking call (waiting for a sandboxed child) on its own OS thread, so the gate's parallel
/// checks never park Swift's small cooperative pool (two threads on a two-core machine).
enum OffPool {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
            let job = Unmanaged.passRetained(Job { cont.resume(returning: body()) })
            var tid = pthread_t()
            let rc = pthread_create(
                &tid, nil,
                { raw in
                    guard let raw else { return nil }
                    Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().body()
                    return nil
                }, job.toOpaque())
            if rc == 0 {
                pthread_detach(tid)
            } else {
                job.takeRetainedValue().body()
            }
        }
    }

    private final class Job: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
