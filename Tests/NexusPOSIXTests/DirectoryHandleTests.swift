import NexusPOSIX
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a tree another process may be changing: no step follows a symbolic link.
@Suite struct DirectoryHandleTests {
    func scratch() -> String {
        var template = Array("/tmp/nexus-dirhandle-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    func write(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = Descriptor.writeAll(fd, Array(text.utf8))
        close(fd)
    }

    @Test func aFileSwappedForALinkIsRefusedNotFollowed() throws {
        let dir = scratch()
        write(dir + "/secret", "top secret")
        _ = mkdir(dir + "/module", 0o755)
        #expect(symlink(dir + "/secret", dir + "/module/data.txt") == 0)
        let handle = try DirectoryHandle(path: dir + "/module")
        #expect(handle.kind(of: "data.txt") == .symlink)
        #expect(handle.linkTarget("data.txt") == dir + "/secret")
        #expect(throws: DirectoryHandle.Failure.open(errno: ELOOP)) {
            try handle.readRegularFile("data.txt", limit: 100)
        }
    }

    @Test func aDirectorySwappedForALinkIsRefusedNotFollowed() throws {
        let dir = scratch()
        _ = mkdir(dir + "/outside", 0o755)
        write(dir + "/outside/id_ed25519", "key")
        _ = mkdir(dir + "/module", 0o755)
        #expect(symlink(dir + "/outside", dir + "/module/sub") == 0)
        let handle = try DirectoryHandle(path: dir + "/module")
        #expect(throws: DirectoryHandle.Failure.self) { try DirectoryHandle(in: handle, name: "sub") }
        #expect(throws: DirectoryHandle.Failure.self) { try DirectoryHandle(path: dir + "/module/sub") }
    }

    @Test func aFifoIsRefusedWithoutHanging() throws {
        let dir = scratch()
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        let handle = try DirectoryHandle(path: dir)
        #expect(handle.kind(of: "pipe") == .other)
        #expect(throws: DirectoryHandle.Failure.notRegular) { try handle.readRegularFile("pipe", limit: 100) }
    }

    @Test func aRegularFileIsReadWholeAndNamesAreSorted() throws {
        let dir = scratch()
        write(dir + "/b", "bee")
        write(dir + "/a", "ay")
        let handle = try DirectoryHandle(path: dir)
        #expect(handle.names() == ["a", "b"])
        #expect(try handle.readRegularFile("b", limit: 100) == Array("bee".utf8))
        #expect(throws: DirectoryHandle.Failure.tooLarge(limit: 2)) { try handle.readRegularFile("b", limit: 2) }
    }
}
