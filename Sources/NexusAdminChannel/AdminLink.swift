import NexusCore
import NexusPOSIX
import Synchronization

/// One end of the channel between nexus and `nexus-admin`: a reader thread that cuts frames and decodes
/// messages, and a writer thread that sends queued frames, so no caller ever blocks on the peer.
///
/// Every frame is hostile input: a bad header or an unknown message is dropped with a reason
/// (`onDropped`), a length over the cap ends the channel (`onEnd`), and nothing the peer sends can crash
/// this side or make it wait. A peer that stops reading only fills the queue, up to `maxQueuedBytes`;
/// past that the channel is ended.
public final class AdminLink: Sendable {
    /// Why the channel ended.
    public enum End: Sendable, Equatable {
        /// The peer closed it (or `close()` was called) between frames.
        case closed
        /// The peer closed it in the middle of a frame: `pending` bytes were cut short.
        case truncated(pending: Int)
        /// The stream could not go on (a length over the cap, a read error, a full queue).
        case broken(String)
    }

    public static let maxQueuedBytes = 64 * 1024 * 1024

    public let fd: Int32
    private let wake: WakePipe?
    private struct State {
        var queue: [[UInt8]] = []
        var queued = 0
        var stopping = false
        var threadsLeft = 2
        /// The descriptor was closed: its number may belong to someone else now, so nothing touches it.
        var closed = false
    }
    private let state = Mutex(State())
    /// Held for each whole frame written, so `sendNow` and the writer thread never interleave bytes.
    private let writing = Mutex<Int>(0)

    /// Starts reading and writing on `fd` (which this link now owns and closes at the end).
    public init(
        fd: Int32, name: String, onMessage: @escaping @Sendable (AdminMessage) -> Void,
        onDropped: @escaping @Sendable (String) -> Void, onEnd: @escaping @Sendable (End) -> Void
    ) {
        self.fd = fd
        wake = WakePipe()
        let reading = DetachedThread.start(name: name + "-r") { [self] in
            let end = Self.readLoop(fd: fd, onMessage: onMessage, onDropped: onDropped)
            stop()
            onEnd(end)
            finished()
        }
        let writing = DetachedThread.start(name: name + "-w") { [self] in
            writeLoop()
            finished()
        }
        if !reading || !writing {
            state.withLock { $0.threadsLeft = (reading ? 1 : 0) + (writing ? 1 : 0) }
            stop()
            if !reading { onEnd(.broken("no thread to read the channel")) }
        }
    }

    /// Queues `message`; false when the channel has ended (or the peer is so far behind that it was ended).
    @discardableResult
    public func send(_ message: AdminMessage) -> Bool {
        let frame = message.frame
        let accepted = state.withLock { s -> Bool? in
            if s.stopping { return false }
            if s.queued + frame.count > Self.maxQueuedBytes { return nil }
            s.queue.append(frame)
            s.queued += frame.count
            return true
        }
        guard let accepted else {
            stop()
            return false
        }
        if accepted { wake?.wake() }
        return accepted
    }

    /// Writes `message` before returning (the last words of a process about to exit); false on failure.
    @discardableResult
    public func sendNow(_ message: AdminMessage) -> Bool {
        let frame = message.frame
        return state.withLock { s in
            !s.closed && !s.stopping && writing.withLock { _ in Descriptor.writeAll(fd, frame) }
        }
    }

    /// Ends the channel: the reader sees end of input, the writer stops after what it was writing.
    public func stop() {
        state.withLock { s in
            s.stopping = true
            if !s.closed { SocketPair.shutdown(fd) }
        }
        wake?.wake()
    }

    private func finished() {
        state.withLock { s in
            s.threadsLeft -= 1
            guard s.threadsLeft == 0 else { return }
            s.closed = true
            Descriptor.close(fd)
        }
    }

    /// The wake pipe is closed only here, when no thread and no caller can write to it any more: closed
    /// earlier, a late `stop()` or `send()` wrote its byte into whatever file took the number next.
    deinit {
        wake?.close()
    }

    private func writeLoop() {
        guard let wake else { return }
        while true {
            let (batch, stopping) = state.withLock { s -> ([[UInt8]], Bool) in
                defer {
                    s.queue = []
                    s.queued = 0
                }
                return (s.queue, s.stopping)
            }
            if stopping { return }
            for frame in batch where !writing.withLock({ _ in Descriptor.writeAll(fd, frame) }) {
                stop()
                return
            }
            if batch.isEmpty {
                wake.wait(timeoutMs: -1)
                wake.drain()
            }
        }
    }

    /// Reads frames from `fd` until end of input or a broken stream; each good message goes to `onMessage`.
    static func readLoop(
        fd: Int32, onMessage: (AdminMessage) -> Void, onDropped: (String) -> Void
    ) -> End {
        var reader = AdminFrame.Reader()
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = Descriptor.read(fd, into: &buf)
            if n == 0 { return reader.pendingCount == 0 ? .closed : .truncated(pending: reader.pendingCount) }
            if n < 0 { return .broken("read failed: \(SystemError.currentText)") }
            reader.append(buf[0..<n])
            do {
                while let item = try reader.next() {
                    switch item {
                    case .malformed(let why): onDropped(why)
                    case .frame(let header, let body):
                        do { onMessage(try AdminMessage(header: header, body: body)) } catch { onDropped(error.reason) }
                    }
                }
            } catch {
                return .broken(error.reason)
            }
        }
    }
}
