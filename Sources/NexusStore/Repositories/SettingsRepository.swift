import NexusCore

/// Run-time choices that outlive a process but are not the user's config file: `/model` route
/// overrides and `/privacy`. The config file stays the user's; these sit on top until reset.
public struct SettingsRepository: Sendable {
    public let db: Database
    public init(db: Database) { self.db = db }

    public func routeOverrides() throws -> [TaskType: [ModelRef]] {
        var out: [TaskType: [ModelRef]] = [:]
        for row in try db.query("SELECT task_type, chain FROM route_overrides") {
            guard let t = row.text(0), let chain = row.text(1) else { continue }
            let refs = chain.split(separator: ",").compactMap { ModelRef(parsing: String($0)) }
            if !refs.isEmpty { out[TaskType(t)] = refs }
        }
        return out
    }

    public func setRoute(_ task: TaskType, _ chain: [ModelRef]) throws {
        try db.execute(
            "INSERT OR REPLACE INTO route_overrides (task_type, chain, updated_at) VALUES (?, ?, ?)",
            [.text(task.rawValue), .text(chain.map(\.description).joined(separator: ",")), .double(WallClock.now())])
    }

    /// Removes one override, or all of them when `task` is nil.
    public func resetRoute(_ task: TaskType?) throws {
        if let task {
            try db.execute("DELETE FROM route_overrides WHERE task_type = ?", [.text(task.rawValue)])
        } else {
            try db.execute("DELETE FROM route_overrides")
        }
    }

    public func value(_ key: String) throws -> String? {
        try db.query("SELECT value FROM settings WHERE key = ?", [.text(key)]).first?.text(0)
    }

    public func setValue(_ key: String, _ value: String?) throws {
        if let value {
            try db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [.text(key), .text(value)])
        } else {
            try db.execute("DELETE FROM settings WHERE key = ?", [.text(key)])
        }
    }
}
