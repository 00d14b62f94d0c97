import Glibc
import NexusAdminChannel
import NexusCore
import NexusPOSIX
import NexusServer
import NexusTesting
import Testing

/// nexus's end of the channel to `nexus-admin` takes every frame as hostile: a test plays the front on
/// the other end of a real socketpair and sends what a broken or subverted front could.
@Suite(.serialized) struct AdminChannelSpecs {
    /// A channel served by a real handler, and the test's end of the socketpair.
    struct Peer {
        let channel: AdminChannel
        let fd: Int32
        let notices: Notices
        let nexus: InProcessNexus
        /// Bytes read but not yet cut into frames (several frames can arrive in one read).
        let inbox = Inbox()

        static func open(metrics: @escaping @Sendable () -> [UInt8] = { [] }) throws -> Peer {
            let (handler, nexus) = try AdminHandlerSpecs.handler(metrics: metrics)
            let pair = try #require(SocketPair.make())
            let notices = Notices()
            let channel = AdminChannel(fd: pair.parentEnd, pid: nil, handler: handler, notice: notices.add)
            return Peer(channel: channel, fd: pair.childEnd, notices: notices, nexus: nexus)
        }

        func write(_ bytes: [UInt8]) { Descriptor.writeAll(fd, bytes) }

        /// The next frame nexus sends, waiting at most `seconds`.
        func nextMessage(seconds: Int32 = 10) -> AdminMessage? {
            var buf = [UInt8](repeating: 0, count: 65_536)
            while true {
                if case .frame(let header, let body)?? = try? inbox.reader.next() {
                    return try? AdminMessage(header: header, body: body)
                }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, seconds * 1000) == 1 else { return nil }
                let n = Descriptor.read(fd, into: &buf)
                guard n > 0 else { return nil }
                inbox.reader.append(buf[0..<n])
            }
        }

        func close() async {
            Descriptor.close(fd)
            await channel.waitUntilEnded()
            await nexus.close()
        }
    }

    final class Inbox: @unchecked Sendable {
        var reader = AdminFrame.Reader()
    }

    static func frame(length: UInt32, _ rest: [UInt8]) -> [UInt8] {
        [UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)] + rest
    }

    static func healthz(id: Int) -> [UInt8] {
        AdminMessage.request(AdminRequest(id: id, method: "GET", path: "/healthz")).frame
    }

    @Test func garbageUnknownMessagesAndForeignRepliesAreDroppedAndTheChannelGoesOn() async throws {
        let peer = try Peer.open()
        peer.write(AdminMessage.ready(port: 8003).frame)
        guard case .success(let port) = await peer.channel.waitUntilListening() else {
            Issue.record("ready was not taken")
            return
        }
        #expect(port == 8003)
        // A frame whose header is not JSON, one whose header length runs past its end, an unknown type,
        // a request with no id, a reply (only nexus replies) and a second ready: each dropped on its own.
        peer.write(Self.frame(length: 12, [0, 0, 0, 8] + Array("not json".utf8)))
        peer.write(Self.frame(length: 8, [0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]))
        peer.write(AdminFrame.encode(["type": "explode"]))
        peer.write(AdminFrame.encode(["type": "request", "method": "GET", "path": "/healthz"]))
        peer.write(AdminMessage.reply(id: 999, AdminResponse(status: 200)).frame)
        peer.write(AdminMessage.ready(port: 1).frame)
        peer.write(Self.healthz(id: 7))
        guard case .reply(let id, let response)? = peer.nextMessage() else {
            Issue.record("no reply to a good request after the bad frames")
            return
        }
        #expect(id == 7)
        #expect(response.status == 200)
        let lines = peer.notices.all
        #expect(lines.contains { $0.contains("header is not a JSON object") }, "\(lines)")
        #expect(lines.contains { $0.contains("past the frame's end") }, "\(lines)")
        #expect(lines.contains { $0.contains("unknown message type \"explode\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("id is not a whole number") }, "\(lines)")
        #expect(lines.contains { $0.contains("sent a reply (id 999)") }, "\(lines)")
        #expect(lines.contains { $0.contains("ready twice") }, "\(lines)")
        await peer.close()
    }

    @Test func aLengthOverTheCapEndsTheChannelWithOneClearLine() async throws {
        let peer = try Peer.open()
        peer.write(AdminMessage.ready(port: 8003).frame)
        _ = await peer.channel.waitUntilListening()
        peer.write(Self.frame(length: 0xffff_ffff, []))
        await peer.channel.waitUntilEnded()
        #expect(await peer.notices.wait(for: "over the 16777216-byte cap"), "\(peer.notices.all)")
        #expect(peer.notices.all.count == 1, "\(peer.notices.all)")
        await peer.close()
    }

    @Test func aFrameCutShortEndsTheChannelCleanly() async throws {
        let peer = try Peer.open()
        peer.write(AdminMessage.ready(port: 8003).frame)
        _ = await peer.channel.waitUntilListening()
        peer.write(Array(Self.healthz(id: 3).prefix(10)))
        Descriptor.close(peer.fd)
        await peer.channel.waitUntilEnded()
        #expect(await peer.notices.wait(for: "cut short"), "\(peer.notices.all)")
        await peer.nexus.close()
    }

    @Test func aFrontThatDiesBeforeReadyIsAStartFailureNotAHang() async throws {
        let peer = try Peer.open()
        peer.write(Array(AdminMessage.ready(port: 8003).frame.prefix(6)))
        Descriptor.close(peer.fd)
        guard case .failure(let error) = await peer.channel.waitUntilListening() else {
            Issue.record("a half ready frame counted as ready")
            return
        }
        #expect("\(error)".contains("ended before it listened"))
        await peer.nexus.close()
    }

    @Test func repliesToRequestsInFlightTogetherCarryTheirOwnIDs() async throws {
        let peer = try Peer.open()
        peer.write(AdminMessage.ready(port: 8003).frame)
        _ = await peer.channel.waitUntilListening()
        peer.write(Self.healthz(id: 1) + Self.healthz(id: 2) + Self.healthz(id: 3))
        var ids: Set<Int> = []
        for _ in 0..<3 {
            if case .reply(let id, let r)? = peer.nextMessage() {
                #expect(r.status == 200)
                ids.insert(id)
            }
        }
        #expect(ids == [1, 2, 3])
        await peer.close()
    }

    @Test func anAnswerTooLargeForAFrameIs500AndTheChannelGoesOn() async throws {
        // Sent as it was, the front would take the frame as over the cap and end the channel.
        let peer = try Peer.open(metrics: { [UInt8](repeating: 65, count: AdminFrame.maxLength) })
        peer.write(AdminMessage.ready(port: 8003).frame)
        _ = await peer.channel.waitUntilListening()
        peer.write(AdminMessage.request(AdminRequest(id: 5, method: "GET", path: "/metrics")).frame)
        guard case .reply(5, let big)? = peer.nextMessage() else {
            Issue.record("no reply to /metrics")
            return
        }
        #expect(big.status == 500)
        peer.write(Self.healthz(id: 6))
        guard case .reply(6, let next)? = peer.nextMessage() else {
            Issue.record("the channel did not go on")
            return
        }
        #expect(next.status == 200)
        await peer.close()
    }
}
