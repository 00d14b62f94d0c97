import Testing

@testable import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a process tree's memory and CPU from /proc.
@Suite struct ProcessTreeUsageTests {
    @Test func aCommandNameWithSpacesAndParenthesesIsParsedFromTheLastParenthesis() throws {
        let line =
            "4242 (evil) 1 (x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 99 1000 321 "
            + "18446744073709551615"
        let s = try #require(ProcessTreeUsage.parse(Array(line.utf8)))
        #expect(s.pid == 4242 && s.parent == 17)
        #expect(s.ticks == 250 + 50 + 7 + 3)
        #expect(s.residentPages == 321)
        #expect(ProcessTreeUsage.parse(Array("garbage".utf8)) == nil)
        #expect(ProcessTreeUsage.parse(Array("1 (a) S".utf8)) == nil)
    }

    @Test func theTreeSumsEveryDescendantAndNothingElse() {
        let snapshot: [Int32: ProcessTreeUsage.Stat] = [
            10: .init(pid: 10, parent: 1, ticks: 100, residentPages: 10),
            11: .init(pid: 11, parent: 10, ticks: 50, residentPages: 5),
            12: .init(pid: 12, parent: 11, ticks: 25, residentPages: 1),
            20: .init(pid: 20, parent: 1, ticks: 999, residentPages: 999),
        ]
        let u = ProcessTreeUsage.usage(of: 10, in: snapshot)
        #expect(u?.processes == 3)
        #expect(u?.residentBytes == 16 * sysconf(Int32(_SC_PAGESIZE)))
        #expect(u?.cpuSeconds == 175.0 / Double(sysconf(Int32(_SC_CLK_TCK))))
        #expect(ProcessTreeUsage.usage(of: 99, in: snapshot) == nil)
    }

    @Test func thisProcessIsFoundInARealSnapshot() {
        let snapshot = ProcessTreeUsage.snapshot()
        let me = getpid()
        let u = ProcessTreeUsage.usage(of: me, in: snapshot)
        #expect(u != nil && (u?.residentBytes ?? 0) > 0)
    }
}
