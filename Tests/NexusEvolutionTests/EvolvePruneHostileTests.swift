import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// Pruning `$NEXUS_HOME/evolve/builds/` deletes only what is under it: a planted folder named like a build id that
/// is a link out of the home, a link a module left inside a round's folder, a record row whose build id is `..` —
/// the link goes, never what it points at; names that are not build ids stay, and so does a folder the record does not
/// name (another run's round under way).
@Suite struct EvolvePruneHostileTests {
    static func shell(_ script: String) {
        let r = Subprocess.run(["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(script): \(r.stderr)")
    }

    /// Records rounds with `recorded` build ids (oldest first) and prunes, keeping the newest one's folder.
    static func prune(home: String, recorded: [String]) throws {
        let record = EvolveRecord(db: try Database(path: home + "/nexus.db"))
        for id in recorded {
            try record.add(
                EvolveAttempt(
                    runID: "r", scenario: "api_key_header", level: 1, templateVersion: "1", model: "m",
                    outcome: .failed, failures: ["contract"], repairs: 0, seconds: 1, costUSD: 0, buildID: id,
                    startedAt: 0))
        }
        let executor = EvolveExecutor(
            farm: home + "/farm", template: BuildTemplate(directory: "", version: "1", files: [], helperSummary: ""),
            buildsDirectory: home + "/evolve/builds", maxRepairs: 0, model: { _ in throw CancellationError() },
            gate: { _, _ in throw CancellationError() }, ledger: { _ in (0, 0, 0, 0) },
            stages: PipelineNodeTimer(bus: EventBus(), turn: 0))
        EvolveLoop(
            executor: executor, record: record, scenarios: ["api_key_header"], rounds: 1,
            budget: EvolveBudget(limitUSD: 1), keepFolders: 1
        ).prune()
    }

    @Test func pruningNeverFollowsALinkNorLeavesTheBuildsFolder() throws {
        let dir = TemporaryDirectory(prefix: "nexus-evolve-prune")
        defer { dir.remove() }
        let builds = dir.path + "/evolve/builds"
        let outside = dir.path + "/precious"
        Self.shell(
            """
            mkdir -p '\(builds)/0000000a/attempt-1' '\(builds)/0000000b/attempt-1' '\(outside)/deep' && \
            echo keep > '\(outside)/deep/file' && \
            ln -s '\(outside)' '\(builds)/deadbeef' && \
            ln -s '\(outside)/deep' '\(builds)/0000000a/attempt-1/planted' && \
            mkdir '\(builds)/not-a-build-id'
            """)
        // The newest round is 0000000b's; a row edited to name `..` and one naming the link keep nothing outside.
        try Self.prune(home: dir.path, recorded: ["deadbeef", "0000000a", "..", "0000000b"])
        #expect(FileSystem.list(builds).sorted() == ["0000000b", "not-a-build-id"])
        #expect(try FileSystem.readText(outside + "/deep/file") == "keep\n")
    }

    @Test func aFolderTheRecordDoesNotNameIsLeftAlone() throws {
        let dir = TemporaryDirectory(prefix: "nexus-evolve-prune-running")
        defer { dir.remove() }
        let builds = dir.path + "/evolve/builds"
        // 0000000c is the round another `nexus evolve` has under way: its row is written when it ends.
        Self.shell(
            """
            mkdir -p '\(builds)/0000000a' '\(builds)/0000000b' '\(builds)/0000000c/attempt-1' && \
            echo 'print(1)' > '\(builds)/0000000c/attempt-1/adapter.py'
            """)
        try Self.prune(home: dir.path, recorded: ["0000000a", "0000000b"])
        #expect(FileSystem.list(builds).sorted() == ["0000000b", "0000000c"])
        #expect(FileSystem.kind(of: builds + "/0000000c/attempt-1/adapter.py") == .file)
    }
}
