import NexusCore

/// How a ledger total counts its calls in words, the same in `/cost`, `/budget`, the cost pane and
/// `nexus models --cost`: calls that answered, and attempts that did not apart from them (a failover's
/// failed attempt is not "1 call" the person got an answer from).
extension LedgerRepository.Total {
    /// "3 calls", or "3 calls, 1 failed attempt".
    public var callsText: String { Self.count(answered, "call") + (failedText.map { ", " + $0 } ?? "") }

    /// "1 failed attempt", nil when every attempt answered.
    public var failedText: String? { failed == 0 ? nil : Self.count(failed, "failed attempt") }

    /// A table's count column: the calls that answered, right-aligned, "call " or "calls".
    public var callsColumn: String {
        "\(String(answered).leftPadded(to: 4)) \(answered == 1 ? "call " : "calls")"
    }

    /// What follows a table row: two spaces and the failed attempts, or nothing.
    public var failedSuffix: String { failedText.map { "  " + $0 } ?? "" }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
