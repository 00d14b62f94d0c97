import NexusCore
import NexusPOSIX
import Testing

@testable import NexusModules

#if canImport(Glibc)
    import Glibc
#endif

/// A message to a module that stops reading part-way through cannot be finished later: its stream ends there.
@Suite struct CutWriteSpecs {
    @Test func aMessageCutByAChildThatStoppedReadingEndsItsStdinSoNoLaterMessageIsReadAsItsTail() throws {
        // Reads nothing for 4 s (longer than a write waits), then everything to the end, then says so.
        let child = try DirectLauncher().launch(
            LaunchSpec(
                module: "slow", command: ["sh", "-c", "sleep 4; cat >/dev/null; echo end-of-input"],
                workingDirectory: "/tmp", environment: [:], networkAllow: []))
        defer { child.endAndReap(graceMs: 100) }
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + [UInt8(ascii: "\n")]
        #expect(child.writeAll(line) == false, "a megabyte cannot fit the pipe of a child that is not reading")
        #expect(child.writeAll(Array("{\"next\": 1}\n".utf8)) == false, "nothing more goes after a cut line")
        // The child sees the end of its input once it drains the pipe.
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        var pfd = pollfd(fd: child.stdout, events: Int16(POLLIN), revents: 0)
        let start = MonotonicClock.nanoseconds()
        while MonotonicClock.millisSince(start) < 10_000, !out.contains(UInt8(ascii: "\n")) {
            guard poll(&pfd, 1, 200) > 0 else { continue }
            let n = read(child.stdout, &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        #expect(String(decoding: out, as: UTF8.self) == "end-of-input\n")
    }
}
