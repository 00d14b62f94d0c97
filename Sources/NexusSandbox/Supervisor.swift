import CNexusJail
import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// Watches a running sandbox: reads captured output as it comes (so a chatty command never blocks
/// on a full pipe), enforces the wall-clock deadline, and reaps the sandbox's first process.
struct Supervisor {
    let pid: pid_t
    let outFD: Int32
    let errFD: Int32
    let timeoutSeconds: Double
    var out: OutputCapture
    var err: OutputCapture
    /// SIGTERM/SIGINT/SIGHUP signalfd (-1 = none); a signal there stops the sandbox.
    var termFD: Int32 = -1
    /// A pidfd of the process the run must not outlive (`--parent-pid`; -1 = none): when it exits, the
    /// sandbox is stopped and `parentExited` set (unless something else stopped it first).
    var parentFD: Int32 = -1
    private(set) var parentExited = false
    /// Polled every 200 ms while the sandbox runs: true when its whole tree has spent its CPU time
    /// (the cgroup's count); the sandbox is then ended like a timeout and `cpuBudgetHit` set.
    var cpuBudgetSpent: (() -> Bool)?
    private(set) var cpuBudgetHit = false
    /// The signal that asked nexus to stop, if one did.
    private(set) var terminatedBy: Int32?
    private(set) var waitStatus: Int32 = 0
    private(set) var maxRSSKB = 0
    /// CPU time (user + system) of the sandbox's reaped processes.
    private(set) var cpuSecondsUsed = 0.0

    init(pid: pid_t, outFD: Int32, errFD: Int32, outputLimit: Int, timeoutSeconds: Double) {
        self.pid = pid
        self.outFD = outFD
        self.errFD = errFD
        self.timeoutSeconds = timeoutSeconds
        out = OutputCapture(limit: outputLimit)
        err = OutputCapture(limit: outputLimit)
    }

    /// Blocks until the sandbox ends; calls `onTimeout` once when the deadline passes. Returns
    /// whether the deadline passed.
    mutating func wait(onTimeout: () -> Void) -> Bool {
        let pidfd = nj_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        let deadline: UInt64? =
            timeoutSeconds > 0 ? MonotonicClock.nanoseconds() + UInt64(timeoutSeconds * 1_000_000_000) : nil
        var timedOut = false
        var exited = false
        var parentGone = false
        var exitedAt: UInt64?
        var killedAt: UInt64?
        var openOut = outFD >= 0
        var openErr = errFD >= 0
        var buf = [UInt8](repeating: 0, count: 65536)
        while !exited || openOut || openErr {
            var fds: [pollfd] = []
            if !exited && pidfd >= 0 { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            if !exited && termFD >= 0 && terminatedBy == nil {
                fds.append(pollfd(fd: termFD, events: Int16(POLLIN), revents: 0))
            }
            if !exited && parentFD >= 0 && !parentGone {
                fds.append(pollfd(fd: parentFD, events: Int16(POLLIN), revents: 0))
            }
            if openOut { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if openErr { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            var waitMs: Int32 = -1
            if let deadline, !timedOut {
                let now = MonotonicClock.nanoseconds()
                waitMs = now >= deadline ? 0 : Int32(min((deadline - now) / 1_000_000 + 1, 1_000_000))
            }
            if pidfd < 0 && !exited { waitMs = waitMs < 0 ? 20 : min(waitMs, 20) }
            if cpuBudgetSpent != nil && !exited && killedAt == nil { waitMs = waitMs < 0 ? 200 : min(waitMs, 200) }
            if fds.isEmpty && exited { break }
            // Once the sandbox is gone (or killed), leftover writers get a short grace, never a hang.
            if let endedAt = exitedAt ?? killedAt {
                let left = Int64(endedAt + 500_000_000) - Int64(MonotonicClock.nanoseconds())
                if left <= 0 { break }
                let ms = Int32(left / 1_000_000) + 1
                waitMs = waitMs < 0 ? ms : min(waitMs, ms)
            }
            let n = poll(&fds, nfds_t(fds.count), waitMs)
            if n < 0 && errno != EINTR { break }
            if let spent = cpuBudgetSpent, !exited, killedAt == nil, spent() {
                cpuBudgetHit = true
                onTimeout()
                killedAt = MonotonicClock.nanoseconds()
            }
            if let deadline, !timedOut, !exited, MonotonicClock.nanoseconds() >= deadline {
                timedOut = true
                onTimeout()
                killedAt = MonotonicClock.nanoseconds()
            }
            for p in fds where p.revents != 0 {
                if p.fd == termFD {
                    let sig = nj_read_signal(termFD)
                    if sig > 0 && terminatedBy == nil && !timedOut {
                        terminatedBy = sig
                        onTimeout()
                        killedAt = MonotonicClock.nanoseconds()
                    }
                } else if p.fd == parentFD {
                    parentGone = true  // stays readable: polled no more
                    if killedAt == nil {
                        parentExited = true
                        onTimeout()
                        killedAt = MonotonicClock.nanoseconds()
                    }
                } else if p.fd == pidfd {
                    reap()
                    exited = true
                    exitedAt = MonotonicClock.nanoseconds()
                } else if p.fd == outFD || p.fd == errFD {
                    let r = buf.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, 65536) }
                    if r > 0 {
                        buf.withUnsafeBytes { raw in
                            let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<r])
                            if p.fd == outFD { out.append(chunk) } else { err.append(chunk) }
                        }
                    } else if r == 0 || (errno != EINTR && errno != EAGAIN) {
                        close(p.fd)
                        if p.fd == outFD { openOut = false } else { openErr = false }
                    }
                }
            }
            if pidfd < 0 && !exited {
                exited = tryReap()
                if exited { exitedAt = MonotonicClock.nanoseconds() }
            }
        }
        if openOut { close(outFD) }
        if openErr { close(errFD) }
        if !exited { reap() }
        return timedOut
    }

    private mutating func reap() {
        var status: Int32 = 0
        var ru = rusage()
        while wait4(pid, &status, 0, &ru) < 0 && errno == EINTR {}
        record(status, ru)
    }

    private mutating func record(_ status: Int32, _ ru: rusage) {
        waitStatus = status
        maxRSSKB = Int(ru.ru_maxrss)
        cpuSecondsUsed =
            Double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + Double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6
    }

    private mutating func tryReap() -> Bool {
        var status: Int32 = 0
        var ru = rusage()
        let r = wait4(pid, &status, WNOHANG, &ru)
        guard r == pid else { return false }
        record(status, ru)
        return true
    }
}

/// C strings that must live until `nj_spawn` returns.
final class CStrings {
    private var owned: [UnsafeMutablePointer<CChar>] = []
    private var arrays: [UnsafeMutablePointer<UnsafePointer<CChar>?>] = []

    func string(_ s: String) -> UnsafePointer<CChar> {
        let p = strdup(s) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        owned.append(p)
        return UnsafePointer(p)
    }

    func array(_ items: [String]) -> UnsafePointer<UnsafePointer<CChar>?> {
        let a = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: items.count + 1)
        for (i, s) in items.enumerated() { a[i] = string(s) }
        a[items.count] = nil
        arrays.append(a)
        return UnsafePointer(a)
    }

    func free() {
        for p in owned { Glibc.free(p) }
        for a in arrays { a.deallocate() }
        owned = []
        arrays = []
    }
}

/// A private scratch directory per run: the empty mount point for the new root, the proxy socket,
/// and the stand-in /tmp for tiers B and C. Removed (without following links) afterwards.
struct Scratch {
    let path: String

    static func make() throws(SandboxError) -> Scratch {
        var template = Array("/tmp/nexus-sandbox-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw .system("mkdtemp /tmp/nexus-sandbox-*", String(cString: strerror(errno)))
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The sandbox's own uid must be able to pass through to the socket and mount point.
        _ = chmod(path, 0o711)
        _ = mkdir(path + "/root", 0o755)
        _ = mkdir(path + "/tmp", 0o755)
        _ = chmod(path + "/tmp", 0o1777)
        return Scratch(path: path)
    }

    func remove() { Self.removeTree(path) }

    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let e = readdir(dir) {
                    let name = withUnsafeBytes(of: e.pointee.d_name) { raw -> String in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(dir)
                for n in names { removeTree(path + "/" + n) }
            }
            _ = rmdir(path)
        } else {
            _ = unlink(path)
        }
    }
}
