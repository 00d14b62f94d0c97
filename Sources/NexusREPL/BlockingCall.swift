#if canImport(Glibc)
    import Glibc
#endif

/// Runs a blocking call (a read from stdin, libedit's readline) on its own thread, so Swift's small
/// cooperative pool keeps serving the renderer and the orchestrator while we wait for a person.
enum BlockingCall {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (cont: CheckedContinuation<T, Never>) in
            let box = Unmanaged.passRetained(Job(body: { cont.resume(returning: body()) }))
            var tid = pthread_t()
            let rc = pthread_create(
                &tid, nil,
                { raw in
                    guard let raw else { return nil }
                    let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
                    job.body()
                    return nil
                }, box.toOpaque())
            if rc == 0 {
                pthread_detach(tid)
            } else {
                box.takeRetainedValue().body()
            }
        }
    }

    final class Job: @unchecked Sendable {
        let body: () -> Void
        init(body: @escaping () -> Void) { self.body = body }
    }
}
