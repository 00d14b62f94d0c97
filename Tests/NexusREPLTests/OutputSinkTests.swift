import NexusCore
import NexusPOSIX
import Testing

@testable import NexusREPL

#if canImport(Glibc)
    import Glibc
#endif

/// Where line mode's text meets a descriptor: safe on a terminal, untouched elsewhere, loud when lost.
@Suite struct OutputSinkSpecs {
    /// A real terminal: the sink writes to the slave side, the test reads what the terminal was sent.
    final class TerminalCapture {
        let pty: PseudoTerminalPair
        let slave: Int32

        init?() {
            guard let pty = PseudoTerminalPair() else { return nil }
            self.pty = pty
            slave = open(pty.slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        }

        /// What reached the terminal so far.
        func drain() -> String {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                var p = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 200) > 0 else { break }
                let n = buf.withUnsafeMutableBytes { read(pty.master, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                out += buf[0..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }

        deinit {
            close(slave)
            pty.close()
        }
    }

    @Test func controlSequencesReachATerminalOnlyAsVisibleText() throws {
        let term = try #require(TerminalCapture())
        let sink = OutputSink(fd: term.slave)
        #expect(sink.isTerminal)
        sink.write("Hi \u{1B}]0;pwned\u{07} \u{1B}[2J clear\u{9B}31m")
        let shown = term.drain()
        #expect(shown == "Hi ^[]0;pwned^G ^[[2J clear<U+009B>31m")
        #expect(!shown.contains("\u{1B}"))
    }

    @Test func ourOwnStylesStillColourATerminal() throws {
        let term = try #require(TerminalCapture())
        OutputSink(fd: term.slave).write("boom \u{1B}[2J", style: .red)
        #expect(term.drain() == "\u{1B}[31mboom ^[[2J\u{1B}[0m")
    }

    @Test func textToAPipeIsKeptByteForByte() {
        let pipe = PipeCapture()
        let sink = OutputSink(fd: pipe.writeEnd)
        #expect(!sink.isTerminal)
        sink.write("Hi \u{1B}]0;t\u{07}\r\n")
        #expect(pipe.drain() == "Hi \u{1B}]0;t\u{07}\r\n")
    }

    @Test func aFullDiskIsRememberedAndNamed() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let sink = OutputSink(fd: fd)
        #expect(sink.failure == nil)
        sink.write("the answer")
        sink.write("more")
        #expect(sink.failure?.errno == ENOSPC)
        #expect(
            WriteFailure(fd: 1, errno: ENOSPC).message == "cannot write to standard output: No space left on device")
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

    @Test func aRendererOnATerminalShowsAProvidersErrorSafelyInColour() throws {
        let term = try #require(TerminalCapture())
        let out = PipeCapture()
        let renderer = EventRenderer(
            style: .text, out: OutputSink(fd: out.writeEnd), err: OutputSink(fd: term.slave), color: true)
        var state = RenderState()
        _ = renderer.render(Event(turnID: 1, kind: .error(message: "bad \u{1B}[2Jrequest", hint: nil)), state: &state)
        let shown = term.drain()
        #expect(shown.hasPrefix("\u{1B}[31merror: \u{1B}[0m"))
        #expect(shown.contains("bad ^[[2Jrequest"))
    }
}
