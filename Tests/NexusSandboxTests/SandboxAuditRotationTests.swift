import Glibc
import NexusCore
import NexusPOSIX
import NexusSandbox
import Synchronization
import Testing

/// The sandbox audit log stays bounded however long nexus serves: past its limit it moves to `.1`, once
/// for all the jailers appending to it, and no line is split, lost to the move, or written into a moved file.
@Suite struct SandboxAuditRotationTests {
    final class Warnings: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var sink: @Sendable (String) -> Void { { m in self.lines.withLock { $0.append(m) } } }
    }

    static func writer(_ path: String, maxBytes: Int, _ warnings: Warnings = Warnings()) throws -> SandboxAuditWriter {
        try #require(SandboxAuditWriter(path: path, maxBytes: maxBytes, warn: warnings.sink))
    }

    static func record(_ w: SandboxAuditWriter, _ tag: String) {
        w.run(module: tag, mode: "integration", outcome: "ok", exitStatus: 0, durationMs: 1, command: ["python3"])
    }

    /// The lines of `path` (none when it is missing).
    static func lines(_ path: String) -> [String] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let text = String(decoding: Descriptor.readToEnd(fd), as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    /// The tag a line was written with (its module field), nil when the line is not a whole run record.
    static func tag(of line: String) -> String? {
        guard case .success(.run(let module, _, _, _)) = SandboxAuditRecord.parse(Array(line.utf8)[...]) else {
            return nil
        }
        return module
    }

    @Test func logPastItsLimitMovesToDotOneAndKeepsEveryLineInOrder() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        let w = try Self.writer(path, maxBytes: 4096)
        let lineBytes = SandboxAuditRecord.runLine(
            module: "line-000", mode: "integration", outcome: "ok", exitStatus: 0, durationMs: 1, command: "python3"
        ).count
        let count = 6000 / lineBytes  // past the limit once, not twice
        for i in 0..<count { Self.record(w, "line-" + String(1000 + i).dropFirst()) }
        let older = Self.lines(path + ".1")
        let newer = Self.lines(path)
        #expect(!older.isEmpty, "nothing moved to .1")
        #expect((FileSystem.size(of: path) ?? 0) <= 4096)
        let tags = (older + newer).map(Self.tag)
        #expect(tags == (0..<count).map { "line-" + String(1000 + $0).dropFirst() })
    }

    @Test func aWriterWhoseLogAnotherJailerMovedWritesItsNextLineToTheNewFile() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        let quiet = try Self.writer(path, maxBytes: 4096)
        let busy = try Self.writer(path, maxBytes: 4096)
        Self.record(quiet, "quiet-first")
        let before = FileIdentity.of(path)
        var n = 0
        while FileIdentity.of(path) == before && n < 1000 {
            Self.record(busy, "busy-\(n)")
            n += 1
        }
        #expect(FileIdentity.of(path) != before, "the busy writer never rotated")
        Self.record(quiet, "quiet-after")
        #expect(Self.lines(path).compactMap(Self.tag).contains("quiet-after"))
        #expect(!Self.lines(path + ".1").compactMap(Self.tag).contains("quiet-after"))
        #expect(Self.lines(path + ".1").compactMap(Self.tag).first == "quiet-first")
    }

    @Test func aLogMovedAwayByHandIsFollowedToTheNewFileAtThePath() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        let w = try Self.writer(path, maxBytes: 1 << 20)
        Self.record(w, "before-move")
        #expect(rename(path, path + ".old") == 0)  // logrotate, or a user tidying up
        Self.record(w, "after-move")
        #expect(Self.lines(path).compactMap(Self.tag) == ["after-move"])
        #expect(Self.lines(path + ".old").compactMap(Self.tag) == ["before-move"])
    }

    @Test func concurrentJailersNeverSplitALineAndTheLogStaysBounded() async throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        let limit = 16 << 10
        let writers = try (0..<4).map { _ in try Self.writer(path, maxBytes: limit) }
        await withTaskGroup(of: Void.self) { group in
            for (k, w) in writers.enumerated() {
                group.addTask { for i in 0..<400 { Self.record(w, "w\(k)-\(i)") } }
            }
        }
        // Each writer, whatever file it last wrote to, follows the path for its next line.
        for (k, w) in writers.enumerated() { Self.record(w, "final-\(k)") }
        let all = Self.lines(path + ".1") + Self.lines(path)
        #expect(!all.isEmpty)
        #expect(all.allSatisfy { Self.tag(of: $0) != nil }, "a split or mixed line")
        #expect(Set(all).count == all.count, "a line written twice")
        #expect((FileSystem.size(of: path) ?? 0) <= limit + 4096)
        #expect((FileSystem.size(of: path + ".1") ?? 0) <= limit + 4096)
        let tags = Set(all.compactMap(Self.tag))
        for k in 0..<4 { #expect(tags.contains("final-\(k)")) }
    }

    @Test func aLockThatCannotBeTakenKeepsEveryLineAndWarnsOnce() throws {
        let dir = T.tempDir()
        defer { _ = system("rm -rf \(dir)") }
        let path = dir + "/sandbox-audit.jsonl"
        #expect(mkdir(path + ".lock", 0o700) == 0)  // a folder where the lock file should be
        let warnings = Warnings()
        let w = try Self.writer(path, maxBytes: 4096, warnings)
        for i in 0..<100 { Self.record(w, "line-\(i)") }
        #expect(Self.lines(path).compactMap(Self.tag) == (0..<100).map { "line-\($0)" })
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains(".lock") == true)
        #expect(w.failedAppends == 0)
    }
}
