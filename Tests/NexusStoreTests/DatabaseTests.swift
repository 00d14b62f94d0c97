import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct DatabaseSpecs {
    @Test func freshDatabaseIsMigratedToTheLatestSchemaInWALMode() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let db = try Database(path: dir.path + "/nexus.db")
        #expect(try db.userVersion() == Schema.migrations.map(\.version).max())
        #expect(try db.query("PRAGMA journal_mode").first?.text(0) == "wal")
    }

    @Test func databaseFromANewerNexusIsRefusedWithAClearMessage() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/nexus.db"
        do {
            let db = try Database(path: path)
            try db.execute("PRAGMA user_version = 999")
        }
        #expect {
            _ = try Database(path: path)
        } throws: { error in
            guard let e = error as? StoreError, case .newerSchema(_, 999, _) = e else { return false }
            return e.userMessage.contains("newer nexus") && e.hint != nil
        }
    }

    @Test func twoConnectionsOnOneFileBothReadAndWrite() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let a = try Database(path: dir.path + "/nexus.db")
        let b = try Database(path: dir.path + "/nexus.db")
        try a.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
        try b.execute("INSERT INTO settings (key, value) VALUES ('y', '2')")
        #expect(try a.query("SELECT COUNT(*) FROM settings").first?.int(0) == 2)
    }

    @Test func failedTransactionRollsBackEveryStatement() throws {
        let db = try Database(path: ":memory:")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
                throw Boom()
            }
        }
        #expect(try db.query("SELECT COUNT(*) FROM settings").first?.int(0) == 0)
    }

    @Test func textWithNULAndNonASCIISurvivesARoundTrip() throws {
        let db = try Database(path: ":memory:")
        let s = "a\u{0}b é 😀"
        try db.execute("INSERT INTO settings (key, value) VALUES ('k', ?)", [.text(s)])
        #expect(try db.query("SELECT value FROM settings").first?.text(0) == s)
    }

    @Test func ledgerTotalsGroupByProviderAndSession() throws {
        let db = try Database(path: ":memory:")
        let ledger = LedgerRepository(db: db)
        func rec(_ p: String, _ cost: Double, local: Bool) -> LLMCallRecord {
            LLMCallRecord(
                taskType: "simple_query", provider: p, model: "m", tier: "standard", tokensIn: 100, tokensOut: 50,
                latencyMs: 1, costUSD: cost, outcome: "ok", isLocal: local)
        }
        try ledger.record(rec("anthropic", 0.5, local: false), session: "s1", turn: 1)
        try ledger.record(rec("anthropic", 0.25, local: false), session: "s2", turn: 1)
        try ledger.record(rec("local", 0, local: true), session: "s1", turn: 2)
        let s1 = try ledger.totals(by: .provider, session: "s1")
        #expect(s1.map(\.key) == ["anthropic", "local"])
        #expect(s1[0].costUSD == 0.5)
        #expect(s1[1].allLocal)
        #expect(try ledger.grandTotal().costUSD == 0.75)
        #expect(try ledger.grandTotal().tokensIn == 300)
    }

    @Test func routeOverridesPersistAndReset() throws {
        let db = try Database(path: ":memory:")
        let s = SettingsRepository(db: db)
        try s.setRoute(.codeGeneration, [ModelRef(provider: "local", model: "qwen2.5-coder:3b")])
        #expect(try s.routeOverrides()[.codeGeneration]?.first?.model == "qwen2.5-coder:3b")
        try s.resetRoute(nil)
        #expect(try s.routeOverrides().isEmpty)
    }

    @Test func atomicWriteReplacesContentAndLeavesNoTempFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let p = dir.path + "/f"
        try FileSystem.writeAtomically(p, text: "one")
        try FileSystem.writeAtomically(p, text: "two")
        #expect(try FileSystem.readText(p) == "two")
        #expect(FileSystem.list(dir.path) == ["f"])
    }

    @Test func readingADirectoryAsAFileNamesThePath() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: FileSystemError.isADirectory(dir.path)) { try FileSystem.read(dir.path) }
    }
}
