import NexusCore
import NexusModules
import NexusOrchestrator
import NexusPOSIX
import NexusStore
import NexusTelemetry

/// `orchestrator.held_back_note`: what the executor's note on modules held back for a credential
/// (`ModuleToolSource.heldBack`) costs each turn with 500 installed modules, none waiting (the usual case), over a
/// real SQLite file and the real module host (tool lists cached, so nothing starts). The note reads nothing then; the
/// row's note gives what the host's registry-wide answer (`modulesWaitingForCredentials`, what each turn asked before
/// session 10) costs on the same file.
enum HeldBackNoteCost {
    static func row(rounds: Int = 200, modules: Int = 500) async -> BenchRow {
        let name = "orchestrator.held_back_note"
        let dir = "/tmp/nexus-heldbackbench-\(ProcessTimer.pidString)-\(MonotonicClock.nanoseconds())"
        defer { FileSystem.removeTree(dir) }
        let host: ModuleHost
        do {
            let tools = (0..<3).map { MCPTool(name: "t\($0)", description: "A tool.", inputSchema: ["type": "object"]) }
            let registry = try PickerUsageCost.registry(in: dir, modules: modules, tools: tools)
            host = ModuleHost(registry: registry, bus: EventBus(), options: .init(modulesDirectory: dir + "/modules"))
        } catch {
            return .couldNotRun(name, reason: "could not make the registry in \(dir): \(error)")
        }
        let source = ModuleToolSource(host: host)
        _ = await source.versionedTools()
        let (note, wide) = await PickerUsageCost.sideBySide(rounds: rounds, prepare: {}) {
            _ = await source.heldBack()
        } against: {
            _ = await host.modulesWaitingForCredentials()
        }
        return BenchRow(
            name: name, p50: note.percentile(0.5), p99: note.percentile(0.99),
            note: "per turn, ModuleToolSource.heldBack() with \(modules) enabled modules, none waiting: no registry "
                + "read; reading the module list for it, as each turn did before, takes "
                + "\(BenchTable.fmt(wide.percentile(0.5))) ms p50")
    }
}
