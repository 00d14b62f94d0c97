import NexusCore
import NexusModules
import NexusStore

/// The install stage of a build: commits the approved, staged plan (the sha256 the person approved) to the
/// registry, and has the host see the new module — reloaded at once when an earlier version is running.
struct InstallStage: PipelineStage {
    let modules: ModuleCommands

    var node: PipelineNode { .install }

    func run(_ plan: ModuleInstaller.Plan) async throws -> ModuleRecord {
        let record = try modules.installer.commit(plan)
        await modules.host.invalidateCatalogue()
        if await modules.host.isRunning(record.name) { try await modules.host.reload(record.name) }
        return record
    }

    func detail(_ output: ModuleRecord) -> String? { "v\(output.seq)" }
}
