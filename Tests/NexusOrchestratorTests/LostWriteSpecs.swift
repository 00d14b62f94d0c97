import NexusCore
import NexusOrchestrator
import NexusPOSIX
import NexusTesting
import Testing

/// What nexus could not save is said, not dropped: the turn still answers, the person sees one notice per
/// session, and `logs/nexus.log` gets a line for every row lost.
@Suite struct LostWriteSpecs {
    static func historyNotices(_ events: [Event]) -> [String] {
        events.compactMap { e in
            if case .notice(let text) = e.kind, text.contains("conversation history not saved") { text } else { nil }
        }
    }

    @Test func aHistoryWriteThatFailsMidSessionIsANoticeOnceAndALogLineEachTime() async throws {
        let fake = ScriptedProvider(
            name: "fake", steps: [.reply(text: "one"), .reply(text: "two"), .reply(text: "three")])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [fake])
        let (firstOutcome, firstEvents) = await nexus.run("first question")
        #expect(firstOutcome == .done)
        #expect(Self.historyNotices(firstEvents).isEmpty)
        #expect(try nexus.history().count == 2, "user and assistant rows while the database takes writes")

        // The history table stops taking rows mid-session, as with a full disk or a read-only database.
        try nexus.context.database.execute(
            "CREATE TRIGGER lost_history BEFORE INSERT ON messages BEGIN SELECT RAISE(FAIL, 'disk is full'); END")
        let (secondOutcome, secondEvents) = await nexus.run("second question")
        #expect(secondOutcome == .done, "the answer still arrives")
        #expect(secondEvents.contains { if case .final(let t) = $0.kind { t == "two" } else { false } })
        let notices = Self.historyNotices(secondEvents)
        #expect(notices.count == 1)
        #expect(notices.first?.contains("disk is full") == true, "the notice names the reason")
        #expect(notices.first?.contains("nexus.log") == true, "and where later failures go")

        let (_, thirdEvents) = await nexus.run("third question")
        #expect(Self.historyNotices(thirdEvents).isEmpty, "said once per session, not every turn")

        let log = try FileSystem.readText(nexus.context.paths.logs + "/nexus.log")
        let lines = log.split(separator: "\n").filter { $0.contains("conversation history not saved") }
        #expect(lines.count == 4, "user and assistant rows of two turns, one line each")
        #expect(try nexus.history().count == 2)
        await nexus.close()
    }
}
