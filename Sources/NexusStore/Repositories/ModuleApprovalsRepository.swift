import NexusCore

/// What the person approved for a module, read from the module registry's tables, for the vault:
/// credentials are bound to approved module code, and the vault checks that binding itself at every
/// injection instead of trusting each caller to.
public struct ModuleApprovalsRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    /// A module's current approval: the sha256 its folder must match, and every sha256 approved since
    /// this installation began (upgrades and rollbacks of it; not versions from before a removal).
    public struct Approval: Sendable, Equatable {
        public var current: String
        public var lineage: Set<String>
    }

    /// Nil when no module of that name is installed (or it was removed).
    public func approval(of module: String) throws -> Approval? {
        guard
            let row = try db.query(
                "SELECT sha256, installed_at FROM modules WHERE name = ? AND state != 'archived'", [.text(module)]
            ).first, let current = row.text(0), !current.isEmpty
        else { return nil }
        let since = row.double(1) ?? 0
        let versions = try db.query(
            "SELECT sha256 FROM module_versions WHERE name = ? AND approved_at >= ?", [.text(module), .double(since)])
        return Approval(current: current, lineage: Set(versions.compactMap { $0.text(0) }).union([current]))
    }

    /// Names of every module the registry knows and has not removed.
    public func moduleNames() throws -> [String] {
        try db.query("SELECT name FROM modules WHERE state != 'archived' ORDER BY name").compactMap { $0.text(0) }
    }
}
