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

    /// A home with version 1 written by NEXUS, and its folder.
    static func home() throws -> (TemporaryDirectory, EvolvedTemplates, String) {
        let dir = TemporaryDirectory(prefix: "nexus-evolve-linked")
        let templates = EvolvedTemplates(home: dir.path, db: try Database(path: dir.path + "/nexus.db"))
        _ = try templates.create(parent: 0, baseVersion: "1", lessons: [Self.lesson], attempts: [1], model: "m")
        return (dir, templates, dir.path + "/templates/python-evolved/v1")
    }

    static func shell(_ script: String) {
        #expect(
            Subprocess.run(["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"]).status == 0, "\(script)")
    }

    @Test func aLessonsFileThatIsAFIFOIsRefusedAtOnceNotWaitedOn() throws {
        let (dir, templates, v1) = try Self.home()
        defer { dir.remove() }
        Self.shell("rm '\(v1)/LESSONS.md' && mkfifo '\(v1)/LESSONS.md'")
        let started = MonotonicClock.nanoseconds()
        #expect(throws: EvolvedTemplateError.self) { try templates.load(1) }
        // Before: every build waited FileSystem.streamWait (10 s) on the FIFO first.
        #expect(MonotonicClock.nanoseconds() - started < 2_000_000_000)
    }

    @Test func aLessonsFileOrVersionFolderThatIsALinkOutOfTheHomeIsRefused() throws {
        let (dir, templates, v1) = try Self.home()
        defer { dir.remove() }
        // Lessons NEXUS would keep, but written elsewhere: not the version's own file.
        let outside = dir.path + "/outside"
        Self.shell("mkdir '\(outside)' && cp '\(v1)'/* '\(outside)/'")
        Self.shell("rm '\(v1)/LESSONS.md' && ln -s '\(outside)/LESSONS.md' '\(v1)/LESSONS.md'")
        #expect {
            try templates.load(1)
        } throws: { e in
            (e as? EvolvedTemplateError)?.userMessage == v1
                + "/LESSONS.md: cannot be read (Too many levels of symbolic links)"
        }
        Self.shell("rm -r '\(v1)' && ln -s '\(outside)' '\(v1)'")
        #expect {
            try templates.load(1)
        } throws: { e in
            (e as? EvolvedTemplateError)?.userMessage == v1 + ": is not a version folder (missing, or a symbolic link)"
        }
    }

    @Test func aHugeSparseLessonsFileOrADirectoryIsOneLineNotARead() throws {
        let (dir, templates, v1) = try Self.home()
        defer { dir.remove() }
        Self.shell("rm '\(v1)/LESSONS.md' && truncate -s 10G '\(v1)/LESSONS.md'")
        #expect {
            try templates.load(1)
        } throws: { e in
            (e as? EvolvedTemplateError)?.userMessage == v1 + "/LESSONS.md: cannot be read (larger than 65536 bytes)"
        }
        Self.shell("rm '\(v1)/LESSONS.md' && mkdir '\(v1)/LESSONS.md'")
        #expect {
            try templates.load(1)
        } throws: { e in
            (e as? EvolvedTemplateError)?.userMessage == v1 + "/LESSONS.md: cannot be read (not a regular file)"
        }
    }

    @Test func anAdoptedSettingHoldingTerminalEscapesIsQuotedAsPrintableText() throws {
        let (dir, templates, _) = try Self.home()
        defer { dir.remove() }
        try templates.settings.setValue(EvolvedTemplates.adoptedKey, "\u{1B}]0;owned\u{07}\u{1B}[2J../../etc")
        #expect {
            try templates.adopted()
        } throws: { e in
            let message = (e as? EvolvedTemplateError)?.userMessage ?? ""
            return message.hasPrefix("setting evolve.template.adopted: is ?]0;owned??[2J../../etc, not a version")
        }
    }

    @Test func parentsEditedIntoALoopCannotMakeRollbackLoop() throws {
        let (dir, templates, _) = try Self.home()
        defer { dir.remove() }
        let v2 = try templates.create(
            parent: 1, baseVersion: "1", lessons: [Self.lesson, "Return plain lists of objects from every list tool."],
            attempts: [2], model: "m")
        // v1's parent is v2 and v2's is v1: refused where it is read, and rollback goes to the base.
        for (n, parent) in [(1, 2), (v2.number, v2.number)] {
            let path = dir.path + "/templates/python-evolved/v\(n)/provenance.json"
            try FileSystem.writeAtomically(
                path, text: #"{"number": \#(n), "parent": \#(parent), "base_version": "1", "decision": "adopted"}"#)
            #expect(throws: EvolvedTemplateError.self) { try templates.load(n) }
        }
        try templates.adopt(v2.number)
        let back = try #require(try templates.rollback())
        #expect(back.to == 0)
        #expect(try templates.rollback() == nil)
    }
}
