import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// `evolve_attempts` rows written by another program (or by hand) are hostile: a number that sums past `Int.max`
/// over two rows, a dollar figure no round can cost, a template label that is a terminal escape — each is a
/// one-line error naming the row and the column, never a crash of `nexus evolve status` and never text on the screen.
/// A figure that is only large (a cost a hostile provider's usage priced) is shown, not refused.
@Suite struct EvolveRecordHostileTests {
    /// A real store with one good row, then `values` as a second row: SQL for `repairs, seconds, cost_usd` and the
    /// template version (the last may hold commas).
    static func record(_ values: String) throws -> (TemporaryDirectory, EvolveRecord) {
        let dir = TemporaryDirectory(prefix: "nexus-evolve-hostile")
        let db = try Database(path: dir.path + "/nexus.db")
        let record = EvolveRecord(db: db)
        for row in ["1, 1, 0.01, '1'", values] {
            try db.execute(
                """
                INSERT INTO evolve_attempts (run_id, scenario, level, template_version, model, outcome, failures,
                    repairs, seconds, cost_usd, tokens_in, tokens_out, build_id, started_at)
                SELECT 'r', 'api_key_header', 1, v, 'm', 'solved', '["contract"]', rp, s, c, 0, 0, 'b', 0
                FROM (SELECT \(Self.columns(row)))
                """)
        }
        return (dir, record)
    }

    /// `values` as the named columns of a SELECT.
    static func columns(_ row: String) -> String {
        let p = row.split(separator: ",", maxSplits: 3).map { $0.trimmingPrefix(" ") }
        return "\(p[0]) AS rp, \(p[1]) AS s, \(p[2]) AS c, \(p[3]) AS v"
    }

    static func refusal(_ values: String) throws -> EvolveRecordError? {
        let (dir, record) = try record(values)
        defer { dir.remove() }
        do {
            let rows = try record.all()
            // Before the rows were bounded, this is where `nexus evolve status` trapped on an overflow.
            _ = EvolveStatusText.text(scenarios: ["api_key_header"], record: rows, template: "1")
            return nil
        } catch let e as EvolveRecordError {
            return e
        }
    }

    @Test func repairsThatWouldOverflowTheSumAreRefusedNotSummed() throws {
        let e = try Self.refusal("9223372036854775807, 1, 0.01, '1'")
        #expect(e?.userMessage == "evolve record row 2: repairs is not a number of repairs from 0 to 1000")
    }

    @Test func aCostOrCountThatIsNotANonNegativeNumberIsRefused() throws {
        for values in ["1, 1, 'lots', '1'", "1, -1, 0.01, '1'", "-2, 1, 0.01, '1'"] {
            let e = try Self.refusal(values)
            #expect(e?.row == 2, "\(values): \(String(describing: e))")
        }
    }

    @Test func aHugeButFiniteCostIsShownNotRefused() throws {
        // A provider may report any usage; the record keeps what the ledger priced, and the sum stays printable.
        #expect(try Self.refusal("1, 1, 1e308, '1'") == nil)
    }

    @Test func aTemplateLabelThatIsATerminalEscapeNeverReachesTheScreen() throws {
        for label in [
            "char(27) || '[2J' || char(27) || ']0;owned' || char(7)", "'1' || char(8232) || 'x'",
            "printf('%.200c', 'v')",
        ] {
            let e = try Self.refusal("1, 1, 0.01, \(label)")
            #expect(e?.column == "template_version", "\(label): \(String(describing: e))")
        }
    }

    @Test func aGoodRowStillReadsBack() throws {
        #expect(try Self.refusal("0, 2.5, 0.02, '1+e3'") == nil)
    }
}
