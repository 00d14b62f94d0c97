import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// A template version is on disk whole or not at all: the folder a kill left half-written (a second Ctrl-C exits
/// at once) does not stop the next run's candidate, and no `vN` ever lacks its provenance.
@Suite struct EvolveTemplateFolderHostileTests {
    static let lesson = "Raise a tool error that names the status code on every failure."

    @Test func aVersionFolderAKillLeftHalfWrittenOnlyTakesItsNumber() throws {
        let dir = TemporaryDirectory(prefix: "nexus-evolve-halfwritten")
        defer { dir.remove() }
        let templates = EvolvedTemplates(home: dir.path, db: try Database(path: dir.path + "/nexus.db"))
        // What the old create() left when killed between LESSONS.md and provenance.json.
        let half = dir.path + "/templates/python-evolved/v1"
        try FileSystem.ensureDirectory(half)
        try FileSystem.writeAtomically(half + "/LESSONS.md", text: "- \(Self.lesson)\n")
        let v = try templates.create(parent: 0, baseVersion: "1", lessons: [Self.lesson], attempts: [1], model: "m")
        #expect(v.number == 2)
        #expect(try templates.load(2).lessons == [Self.lesson])
        // Nothing but the versions is left beside them.
        #expect(FileSystem.list(dir.path + "/templates/python-evolved").sorted() == ["v1", "v2"])
    }

    @Test func aTrialThatSolvedNothingIsNoReasonToAdopt() {
        // The parent's latest rounds on the set failed at the repair limit, and so did every trial round: a tie.
        let parent = EvolvedTemplates.Score(solved: 0, total: 2, repairs: 6)
        #expect(!EvolvedTemplates.Score(solved: 0, total: 2, repairs: 6).atLeastAsGood(as: parent))
        #expect(!EvolvedTemplates.Score(solved: 0, total: 2, repairs: 0).atLeastAsGood(as: parent))
        #expect(EvolvedTemplates.Score(solved: 1, total: 2, repairs: 6).atLeastAsGood(as: parent))
    }
}
