import NexusPOSIX
import Synchronization
import Testing

/// The tree calls the module installer and the tests' folders use: creating never goes through a link,
/// removing a tree never follows one, and a swap leaves each path holding a whole tree.
@Suite struct FileSystemTreesTests {
    func scratch() throws -> String { try FileSystem.makeUniqueDirectory(in: "/tmp", prefix: "nexus-trees-") }

    @Test func aNewFileIsNeverAnExistingOneNorALinksTarget() throws {
        let dir = try scratch()
        defer { FileSystem.removeTree(dir) }
        try FileSystem.writeFile(dir + "/secret", Array("keep".utf8), mode: 0o600)
        try FileSystem.createSymbolicLink(dir + "/link", target: dir + "/secret")
        #expect(throws: FileSystemError.self) { _ = try FileSystem.createNewFile(dir + "/link", mode: 0o644) }
        #expect(throws: FileSystemError.self) { _ = try FileSystem.createNewFile(dir + "/secret", mode: 0o644) }
        #expect(try FileSystem.readText(dir + "/secret") == "keep")
        let fd = try FileSystem.createNewFile(dir + "/new", mode: 0o600)
        #expect(Descriptor.writeAll(fd, Array("fresh".utf8)))
        #expect(Descriptor.setMode(fd, 0o640))
        Descriptor.close(fd)
        #expect(FileSystem.mode(of: dir + "/new") == 0o640)
    }

    @Test func removingATreeRemovesALinkButNeverWhatItPointsAt() throws {
        let dir = try scratch()
        let outside = try scratch()
        defer {
            FileSystem.removeTree(dir)
            FileSystem.removeTree(outside)
        }
        try FileSystem.writeFile(outside + "/precious", Array("x".utf8))
        try FileSystem.createDirectoryIfMissing(dir + "/a", mode: 0o755)
        try FileSystem.createDirectoryIfMissing(dir + "/a", mode: 0o755)  // already there: fine
        try FileSystem.createSymbolicLink(dir + "/a/escape", target: outside)
        try FileSystem.writeFile(dir + "/a/file", Array("y".utf8))
        FileSystem.removeTree(dir)
        #expect(!FileSystem.exists(dir))
        #expect(FileSystem.exists(outside + "/precious"))
        FileSystem.removeTree(dir)  // a missing path is fine
    }

    @Test func exchangeSwapsTwoTreesInOneStep() throws {
        let dir = try scratch()
        defer { FileSystem.removeTree(dir) }
        for name in ["old", "new"] {
            try FileSystem.createDirectory(dir + "/" + name, mode: 0o755)
            try FileSystem.writeFile(dir + "/\(name)/VERSION", Array(name.utf8))
        }
        try FileSystem.exchange(dir + "/new", dir + "/old")
        #expect(try FileSystem.readText(dir + "/old/VERSION") == "new")
        #expect(try FileSystem.readText(dir + "/new/VERSION") == "old")
        FileSystem.syncDirectory(dir)
        #expect(throws: FileSystemError.self) { try FileSystem.exchange(dir + "/new", dir + "/missing") }
    }
}

/// Loopback TCP for the fakes and benchmarks: a free port, a round trip, and a shut-down listener that
/// releases a thread blocked in accept.
@Suite struct LoopbackSocketTests {
    @Test func aClientAndAServerRoundTripOnAFreePort() throws {
        let (listener, port) = try #require(LoopbackSocket.listen())
        defer { Descriptor.close(listener) }
        #expect(port > 0)
        let client = try #require(LoopbackSocket.connect(port: port, receiveTimeout: 5))
        defer { Descriptor.close(client) }
        let server = try #require(LoopbackSocket.accept(listener))
        defer { Descriptor.close(server) }
        let big = [UInt8](repeating: 7, count: 1 << 20)
        let sender = NativeThread { LoopbackSocket.sendAll(client, big) }
        var got = 0
        var buf = [UInt8](repeating: 0, count: 65_536)
        while got < big.count {
            let n = LoopbackSocket.receive(server, into: &buf)
            if n <= 0 { break }
            got += n
        }
        sender.join()
        #expect(got == big.count, "every byte of a megabyte arrives")
        LoopbackSocket.shutdown(client)
        #expect(LoopbackSocket.receive(server, into: &buf) == 0, "the peer's shutdown reads as the end")
    }

    @Test func shuttingDownAListenerReleasesAThreadBlockedInAccept() throws {
        let (listener, _) = try #require(LoopbackSocket.listen())
        defer { Descriptor.close(listener) }
        final class Outcome: Sendable { let fd = Mutex<Int32?>(0) }
        let accepted = Outcome()
        let waiter = NativeThread { accepted.fd.withLock { $0 = LoopbackSocket.accept(listener) } }
        Pause.milliseconds(50)
        LoopbackSocket.shutdown(listener)
        waiter.join()
        #expect(accepted.fd.withLock { $0 } == nil)
    }

    @Test func aFreePortIsOneNothingListensOn() throws {
        let port = try #require(LoopbackSocket.freePort())
        #expect(LoopbackSocket.connect(port: port) == nil)
        #expect(!TCPProbe.isListening(host: "127.0.0.1", port: Int(port)))
    }
}
