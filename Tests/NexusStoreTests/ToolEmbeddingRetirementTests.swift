import NexusCore
import NexusStore
import NexusTesting
import Testing

// Stored tool vectors of texts no installed tool shows any more (an uninstalled module, a rebuilt module's old
// descriptions) are deleted after 30 days unseen, so a home that churns modules does not read them at every start.

private let day: Double = 86_400

@Suite struct ToolEmbeddingRetirementSpecs {
    @Test func vectorsOfToolsUnseenForThirtyDaysAreDeletedAndTheInstalledOnesKept() throws {
        let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
        try store.store(model: "m", vectors: [("kept", [1, 0]), ("gone", [0, 1])])
        let now = WallClock.now()
        // Twenty days later "gone" is no installed tool's text: too soon to delete (a module may be stopped).
        #expect(try store.retire(model: "m", keeping: ["kept"], unseenFor: 30 * day, now: now + 20 * day) == 0)
        #expect(try store.count(model: "m") == 2)
        // Forty days later "gone" has not been seen for 40 days; "kept" was seen at day 20.
        #expect(try store.retire(model: "m", keeping: ["kept"], unseenFor: 30 * day, now: now + 40 * day) == 1)
        #expect(try store.vectors(model: "m", texts: ["kept", "gone"]).keys.sorted() == ["kept"])
    }

    @Test func anInstalledToolsVectorIsKeptHoweverOldItIs() throws {
        let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
        try store.store(model: "m", vectors: [("old but installed", [1, 0])])
        let now = WallClock.now()
        #expect(
            try store.retire(model: "m", keeping: ["old but installed"], unseenFor: 30 * day, now: now + 400 * day) == 0
        )
        #expect(try store.count(model: "m") == 1)
    }

    @Test func anotherModelsVectorsAreLeftToForget() throws {
        let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
        try store.store(model: "a", vectors: [("x", [1])])
        try store.store(model: "b", vectors: [("y", [1])])
        #expect(try store.retire(model: "a", keeping: [], unseenFor: 30 * day, now: WallClock.now() + 40 * day) == 1)
        #expect(try store.count(model: "b") == 1)
    }

    @Test func textsWithQuotesNewlinesAndControlCharactersMatchThemselves() throws {
        let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
        let odd = [
            "say \"hi\"\nthen \\ leave", "tab\there", "nul\u{0}inside", "émoji 🚀",
            String(repeating: "x", count: 100_000),
        ]
        try store.store(model: "m", vectors: odd.map { ($0, [1, 2]) })
        #expect(try store.retire(model: "m", keeping: odd, unseenFor: 30 * day, now: WallClock.now() + 40 * day) == 0)
        #expect(try store.count(model: "m") == odd.count)
    }

    @Test func rowsStoredBeforeSeenAtExistedAgeFromWhenTheyWereMade() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        let now = WallClock.now()
        do {
            let old = try Database(path: path, migrations: Schema.migrations.filter { $0.version <= 50 })
            try old.execute(
                "INSERT INTO tool_embeddings (model, text, dimension, vector, created_at) VALUES ('m', 't', 1, ?, ?)",
                [.blob([0, 0, 128, 63]), .double(now - 40 * day)])
        }
        let store = ToolEmbeddingRepository(db: try Database(path: path))
        #expect(try store.vectors(model: "m", texts: ["t"])["t"] == [1])
        #expect(try store.retire(model: "m", keeping: [], unseenFor: 30 * day, now: now) == 1)
    }
}
