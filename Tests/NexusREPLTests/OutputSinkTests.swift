import NexusCore
import Testing

@testable import NexusREPL

#if canImport(Glibc)
    import Glibc
#endif

/// Where line mode's text meets a descriptor: a write that fails is remembered, not shrugged off.
@Suite struct OutputSinkSpecs {
    @Test func aFullDiskIsRememberedAndNamed() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let sink = OutputSink(fd: fd)
        #expect(sink.failure == nil)
        sink.write("the answer")
        sink.write("more")
        #expect(sink.failure?.errno == ENOSPC)
        #expect(WriteFailure(fd: 1, errno: ENOSPC).message == "cannot write to standard output: No space left on device")
    }

    @Test func aDescriptorThatCannotBeWrittenIsAFailureNotAnExit() throws {
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let sink = OutputSink(fd: fd)
        sink.write("lost")
        #expect(sink.failure?.errno == EBADF)
        #expect(sink.failure?.message.hasSuffix("Bad file descriptor") == true)
    }
}
