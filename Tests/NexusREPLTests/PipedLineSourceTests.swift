import NexusCore
import Testing

@testable import NexusREPL

/// Piped stdin: every line a turn, whatever bytes arrive.
@Suite struct PipedLineSourceSpecs {
    func lines(_ bytes: [UInt8], maxLine: Int = 4 << 20) async -> [String] {
        let pipe = PipeCapture()
        // Feed from another thread: a megabyte does not fit in a pipe's buffer.
        let writer = Task.detached {
            pipe.feed(bytes)
            pipe.closeWriteEnd()
        }
        let source = PipedLineSource(fd: pipe.readEnd, maxLine: maxLine)
        var out: [String] = []
        while let l = await source.readLine(prompt: "") { out.append(l) }
        await writer.value
        return out
    }

    @Test func linesAreSplitOnNewlinesWithCarriageReturnsDropped() async {
        #expect(await lines(Array("one\ntwo\r\n\nthree".utf8)) == ["one", "two", "", "three"])
    }

    @Test func invalidUTF8IsReplacedNotFatal() async {
        let got = await lines([0x61, 0xFF, 0x62, 0x0A, 0x63, 0x0A])
        #expect(got == ["a\u{FFFD}b", "c"])
    }

    @Test func aLineLongerThanTheLimitIsCutAndTheNextLineIsIntact() async {
        let long = [UInt8](repeating: 0x78, count: 300_000)
        let got = await lines(long + [0x0A] + Array("next\n".utf8), maxLine: 100_000)
        #expect(got.count == 2)
        #expect(got.first?.utf8.count == 100_000)
        #expect(got.last == "next")
    }

    @Test func aMegabyteLineUnderTheLimitArrivesWhole() async {
        let got = await lines([UInt8](repeating: 0x79, count: 1 << 20) + [0x0A])
        #expect(got.map(\.utf8.count) == [1 << 20])
    }

    @Test func emptyInputEndsAtOnce() async {
        #expect(await lines([]) == [])
    }

    @Test func readAllJoinsTheRestForDashP() async {
        let pipe = PipeCapture()
        pipe.feed(Array("first line\nsecond line\n".utf8))
        pipe.closeWriteEnd()
        #expect(await PipedLineSource(fd: pipe.readEnd).readAll() == "first line\nsecond line")
    }
}
