import NexusCore
import NexusPOSIX
import NexusTesting
import Testing

@testable import NexusStore

#if canImport(Glibc)
    import Glibc
#endif

/// Whole-file reads of whatever a user points nexus at: files, pipes, devices.
@Suite struct FileSystemReadSpecs {
    @Test func aFIFONobodyWritesToIsAnErrorNotAHang() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fifo = dir.path + "/nexus.toml"
        #expect(mkfifo(fifo, 0o600) == 0)
        let start = MonotonicClock.nanoseconds()
        #expect(throws: FileSystemError.silentPipe(fifo)) { try FileSystem.read(fifo, wait: 0.2) }
        #expect(MonotonicClock.millisSince(start) < 5_000)
    }

    @Test func aFIFOWhoseWriterComesLateIsReadWhole() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fifo = dir.path + "/nexus.toml"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Task.detached {
            try? await Task.sleep(nanoseconds: 100_000_000)
            let fd = open(fifo, O_WRONLY)
            var text = "privacy = \"open\"\n"
            text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        let bytes = try FileSystem.read(fifo, wait: 10)
        await writer.value
        #expect(String(decoding: bytes, as: UTF8.self) == "privacy = \"open\"\n")
    }

    @Test func aSymlinkLoopIsReportedAsOneNotAsMissing() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let a = dir.path + "/a.toml"
        let b = dir.path + "/b.toml"
        symlink(b, a)
        symlink(a, b)
        #expect(FileSystem.kind(of: a) == .other)
        #expect(throws: FileSystemError.io(path: a, operation: "open", errno: ELOOP)) { try FileSystem.read(a) }
    }

    @Test func devNullReadsAsEmpty() throws {
        #expect(try FileSystem.read("/dev/null").isEmpty)
    }

    @Test func anEndlessDeviceStopsAtTheLimit() {
        #expect(throws: FileSystemError.tooLarge("/dev/zero", limit: 1 << 20)) {
            try FileSystem.read("/dev/zero", limit: 1 << 20)
        }
    }
}
