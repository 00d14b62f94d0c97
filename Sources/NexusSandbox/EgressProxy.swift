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

    struct ProxyState {
        var records: [NetworkRecord] = []
        var active: Set<Int32> = []
        var threads: [NativeThread] = []
        var bytes = 0
        var nextRecording = 1
        var stopped = false
    }

    /// Binds the unix socket at `socketPath` (replacing nothing: the path must not exist).
    public convenience init(
        socketPath: String, policy: EgressPolicy, maxConnections: Int = 32, maxBytes: Int = 256 << 20,
        recordDir: String? = nil, onRecord: @escaping @Sendable (NetworkRecord) -> Void = { _ in }
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
            recordDir: recordDir, onRecord: onRecord)
    }

    /// Listens on 127.0.0.1 at an ephemeral port (tiers B and C, which have no network namespace to
    /// bridge into); `port` tells which.
    public convenience init(
        loopbackPolicy policy: EgressPolicy, maxConnections: Int = 32, maxBytes: Int = 256 << 20,
        recordDir: String? = nil, onRecord: @escaping @Sendable (NetworkRecord) -> Void = { _ in }
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
            maxBytes: maxBytes, recordDir: recordDir, onRecord: onRecord)
    }

    init(
        listenFD: Int32, port: Int?, policy: EgressPolicy, maxConnections: Int, maxBytes: Int, recordDir: String?,
        onRecord: @escaping @Sendable (NetworkRecord) -> Void
    ) {
        var p: [Int32] = [-1, -1]
        _ = nj_pipe_cloexec(&p)
        self.listenFD = listenFD
        self.port = port
        stopPipe = (p[0], p[1])
        self.policy = policy
        self.maxConnections = maxConnections
        self.maxBytes = maxBytes
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
            return s.threads
        }
        var one: UInt8 = 1
        _ = write(stopPipe.1, &one, 1)
        for t in threads { t.join() }
        close(listenFD)
        close(stopPipe.0)
        close(stopPipe.1)
        return state.withLock { $0.records }
    }

    /// Requests so far.
    public var records: [NetworkRecord] { state.withLock { $0.records } }

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
            if c < 0 { continue }
            let admitted: Bool = state.withLock { s in
                guard !s.stopped, s.active.count < maxConnections else { return false }
                s.active.insert(c)
                return true
            }
            guard admitted else {
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
            }
            if t.isRunning {
                state.withLock { $0.threads.append(t) }
            } else {
                _ = state.withLock { $0.active.remove(c) }
                close(c)
            }
        }
    }

    func log(_ r: NetworkRecord) {
        state.withLock { $0.records.append(r) }
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
