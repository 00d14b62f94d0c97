import CNexusJail
import NexusCore
import NexusPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The sandbox's only way to the network: an HTTP proxy (CONNECT tunnels and plain-HTTP forwarding)
/// on a unix socket that the jail bridges to 127.0.0.1:3128 inside the sandbox. Each request is
/// checked against the `EgressPolicy`, answered with 403 and a readable reason when refused,
/// capped in connections and bytes, and logged as a `NetworkRecord` (handed to `onRecord` at once).
public final class EgressProxy: Sendable {
    let listenFD: Int32
    /// The TCP port when listening on loopback; nil for a unix socket.
    public let port: Int?
    let policy: EgressPolicy
    let maxConnections: Int
    let maxBytes: Int
    let recordDir: String?
    /// Called with each request's record as soon as it is decided (the jailer's live audit log).
    let onRecord: @Sendable (NetworkRecord) -> Void
    let state = Mutex(ProxyState())
    let stopPipe: (Int32, Int32)

    /// Records kept in memory for the run's result (the audit log still gets every one, through `onRecord`).
    let maxRecords: Int

    struct ProxyState {
        var records: [NetworkRecord] = []
        /// Records past `maxRecords`, left out of `records`: all of them, and the refused ones.
        var omitted = 0
        var omittedBlocked = 0
        var active: Set<Int32> = []
        /// The accept loop's thread.
        var threads: [NativeThread] = []
        /// Each connection's thread, by number, until it is joined; `finished` names those that have ended.
        /// A connection's thread is joined soon after it ends (at the next connection), so a module that
        /// opens and closes connections in a loop never piles up exited threads (each one kept its stack:
        /// 8 MiB of address space, two mappings, tens of KB resident, in the jailer, outside the module's
        /// memory limit).
        var connections: [Int: NativeThread] = [:]
        var finished: [Int] = []
        var nextConnection = 0
        var bytes = 0
        var nextRecording = 1
        var stopped = false
    }

    /// Binds the unix socket at `socketPath` (replacing nothing: the path must not exist).
    public convenience init(
        socketPath: String, policy: EgressPolicy, maxConnections: Int = 32, maxBytes: Int = 256 << 20,
        maxRecords: Int = 1000, recordDir: String? = nil,
        onRecord: @escaping @Sendable (NetworkRecord) -> Void = { _ in }
    ) throws(SandboxError) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", String(cString: strerror(errno))) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw .system("proxy socket \(socketPath)", "path too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard ok == 0, listen(fd, 128) == 0 else {
            let e = String(cString: strerror(errno))
            close(fd)
            throw .system("proxy socket \(socketPath)", e)
        }
        self.init(
            listenFD: fd, port: nil, policy: policy, maxConnections: maxConnections, maxBytes: maxBytes,
            maxRecords: maxRecords, recordDir: recordDir, onRecord: onRecord)
    }

    /// Listens on 127.0.0.1 at an ephemeral port (tiers B and C, which have no network namespace to
    /// bridge into); `port` tells which.
    public convenience init(
        loopbackPolicy policy: EgressPolicy, maxConnections: Int = 32, maxBytes: Int = 256 << 20,
        maxRecords: Int = 1000, recordDir: String? = nil,
        onRecord: @escaping @Sendable (NetworkRecord) -> Void = { _ in }
    ) throws(SandboxError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", String(cString: strerror(errno))) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &a) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && listen(fd, 128) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else {
            let e = String(cString: strerror(errno))
            close(fd)
            throw .system("proxy on 127.0.0.1", e)
        }
        self.init(
            listenFD: fd, port: Int(UInt16(bigEndian: a.sin_port)), policy: policy, maxConnections: maxConnections,
            maxBytes: maxBytes, maxRecords: maxRecords, recordDir: recordDir, onRecord: onRecord)
    }

    init(
        listenFD: Int32, port: Int?, policy: EgressPolicy, maxConnections: Int, maxBytes: Int, maxRecords: Int,
        recordDir: String?, onRecord: @escaping @Sendable (NetworkRecord) -> Void
    ) {
        var p: [Int32] = [-1, -1]
        _ = nj_pipe_cloexec(&p)
        self.listenFD = listenFD
        self.port = port
        stopPipe = (p[0], p[1])
        self.policy = policy
        self.maxConnections = maxConnections
        self.maxBytes = maxBytes
        self.maxRecords = maxRecords
        self.recordDir = recordDir
        self.onRecord = onRecord
    }

    /// Starts accepting on a thread of its own. SIGPIPE is ignored process-wide (nexus's main does the
    /// same): a sandboxed client closing its socket early must end its connection, not the process.
    public func start() {
        signal(SIGPIPE, SIG_IGN)
        let t = NativeThread(name: "egress-accept") { [self] in acceptLoop() }
        if t.isRunning { state.withLock { $0.threads.append(t) } }
    }

    /// Stops accepting, cuts open tunnels, waits for handlers, and returns every request seen.
    @discardableResult
    public func stop() -> [NetworkRecord] {
        let threads: [NativeThread] = state.withLock { s in
            s.stopped = true
            for fd in s.active { shutdown(fd, Int32(SHUT_RDWR)) }
            return s.threads + s.connections.values
        }
        var one: UInt8 = 1
        _ = write(stopPipe.1, &one, 1)
        for t in threads { t.join() }
        close(listenFD)
        close(stopPipe.0)
        close(stopPipe.1)
        return state.withLock { $0.records }
    }

    /// Requests so far (the first `maxRecords`).
    public var records: [NetworkRecord] { state.withLock { $0.records } }

    /// Requests left out of `records` (past `maxRecords`), and how many of those were refused.
    public var omittedRecords: (total: Int, blocked: Int) { state.withLock { ($0.omitted, $0.omittedBlocked) } }

    private func acceptLoop() {
        while true {
            var fds = [
                pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stopPipe.0, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, 2, -1)
            if n < 0 { if errno == EINTR { continue } else { return } }
            if fds[1].revents != 0 { return }
            let c = nj_accept_cloexec(listenFD)
            joinFinishedConnections()
            if c < 0 { continue }
            let admitted: Int? = state.withLock { s in
                guard !s.stopped, s.active.count < maxConnections else { return nil }
                s.active.insert(c)
                defer { s.nextConnection += 1 }
                return s.nextConnection
            }
            guard let number = admitted else {
                log(
                    NetworkRecord(
                        host: "?", port: 0, method: "?", path: nil, verdict: .blocked,
                        reason: "too many connections (limit \(maxConnections))"))
                ProxyConnection.respond(
                    c, status: "503 Service Unavailable", reason: "too many connections (limit \(maxConnections))")
                close(c)
                continue
            }
            let t = NativeThread(name: "egress-conn") { [self] in
                ProxyConnection(proxy: self, client: c).serve()
                _ = state.withLock { $0.active.remove(c) }
                close(c)
                state.withLock { $0.finished.append(number) }
            }
            if t.isRunning {
                state.withLock { $0.connections[number] = t }
            } else {
                _ = state.withLock { $0.active.remove(c) }
                close(c)
            }
        }
    }

    /// Joins the connection threads that have ended. Only the accept loop calls it, and only until `stop()`,
    /// which joins every thread still listed: a thread is joined by exactly one of them.
    private func joinFinishedConnections() {
        let ended: [NativeThread] = state.withLock { s in
            guard !s.stopped, !s.finished.isEmpty else { return [] }
            var out: [NativeThread] = []
            // A thread may end before the accept loop has listed it: its number waits for the next round.
            s.finished.removeAll { n in
                guard let t = s.connections.removeValue(forKey: n) else { return false }
                out.append(t)
                return true
            }
            return out
        }
        for t in ended { t.join() }
    }

    func log(_ r: NetworkRecord) {
        state.withLock { s in
            if s.records.count < maxRecords {
                s.records.append(r)
            } else {
                s.omitted += 1
                if r.verdict == .blocked { s.omittedBlocked += 1 }
            }
        }
        onRecord(r)
    }

    func track(_ fd: Int32, _ on: Bool) {
        state.withLock { s in
            if on { s.active.insert(fd) } else { s.active.remove(fd) }
        }
    }

    /// Adds to the byte count; false once the cap is passed.
    func consume(_ n: Int) -> Bool {
        state.withLock { s in
            s.bytes += n
            return s.bytes <= maxBytes
        }
    }

    func nextRecordingNumber() -> Int {
        state.withLock { s in
            defer { s.nextRecording += 1 }
            return s.nextRecording
        }
    }
}
