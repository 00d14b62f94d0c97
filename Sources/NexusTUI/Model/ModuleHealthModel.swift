import NexusCore
import NexusOrchestrator

/// The module health matrix: one row per module, from the session's status snapshot and kept live
/// between snapshots by health and tool events.
public struct ModuleHealthModel: Sendable, Equatable {
    public private(set) var rows: [StatusSnapshot.ModuleRow] = []
    var callModules: [String: String] = [:]
    var latencies: [String: [Double]] = [:]
    /// Each running module's process tree, from the last `module_resources` reading (every 5 s).
    public private(set) var resources: [String: Resources] = [:]

    public struct Resources: Sendable, Equatable {
        public var residentBytes: Int
        public var cpuSeconds: Double
    }

    public init() {}

    /// Replaces every row with the snapshot's (the source of truth).
    public mutating func update(from snapshot: StatusSnapshot) {
        rows = snapshot.modules.sorted { $0.name < $1.name }
        latencies.removeAll()
    }

    mutating func row(_ name: String) -> Int {
        if let i = rows.firstIndex(where: { $0.name == name }) { return i }
        rows.append(.init(name: name, health: .unknown, calls: 0, errorRate: 0, p50LatencyMs: nil, lastError: nil))
        rows.sort { $0.name < $1.name }
        return rows.firstIndex(where: { $0.name == name }) ?? 0
    }

    public mutating func apply(_ kind: EventKind) {
        switch kind {
        case .moduleHealth(let m, let h, let reason):
            let i = row(m)
            rows[i].health = h
            if h != .healthy, let reason { rows[i].lastError = reason }
        case .moduleState(let m, let s):
            let i = row(m)
            if s == "disabled" { rows[i].health = .disabled }
            // Enabled again (`/modules enable`, the admin API): untried until it runs, as the registry says.
            if s == "enabled", rows[i].health == .disabled {
                rows[i].health = .unknown
                if rows[i].lastError == "disabled" { rows[i].lastError = nil }
            }
            if s == "stopped" || s == "disabled" || s == "crashed" { resources[m] = nil }
        case .moduleResources(let m, let rss, let cpu):
            if rows.contains(where: { $0.name == m }) { resources[m] = Resources(residentBytes: rss, cpuSeconds: cpu) }
        case .toolCall(let call, let module):
            if let module { callModules[call.id] = module }
        case .toolResult(let r, let ms):
            guard let m = callModules.removeValue(forKey: r.callID) else { return }
            let i = row(m)
            let errors = rows[i].errorRate * Double(rows[i].calls) + (r.isError ? 1 : 0)
            rows[i].calls += 1
            rows[i].errorRate = errors / Double(rows[i].calls)
            if r.isError { rows[i].lastError = String(r.content.prefix(120)) }
            var l = latencies[m, default: []]
            l.append(ms)
            if l.count > 200 { l.removeFirst(l.count - 200) }
            latencies[m] = l
            rows[i].p50LatencyMs = Stats(l).p50
        default:
            break
        }
    }
}
