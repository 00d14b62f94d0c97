import NexusCore
import NexusEvolution
import NexusModules
import NexusPOSIX
import NexusStore

/// The proof stage: the staged install plan (the sha256 the approval pins) after the install's grant checks,
/// the ledger's tokens and cost for this build's calls, and for an upgrade the diff against the installed files.
extension BuildRun {
    func makeProof(
        folder: String, files: BuildFileSet, passed: BuildAttempt, workspace: BuildWorkspace, template: BuildTemplate
    ) async throws -> (ModuleInstaller.Plan, BuildProof) {
        let plan = try setup.modules.installer.prepare(.folder(folder))
        do {
            // The install's own grant checks, whatever the gate let through: a model wrote these grants and no
            // person typed one, so a protected or start-up path is refused before anyone is asked.
            try setup.modules.checkGrants(plan.manifest, typed: InstallSettings(), unattended: true, built: true)
            return (plan, try await proof(plan, files: files, passed: passed, workspace: workspace, template: template))
        } catch {
            setup.modules.installer.discard(plan)
            throw error
        }
    }

    func proof(
        _ plan: ModuleInstaller.Plan, files: BuildFileSet, passed: BuildAttempt, workspace: BuildWorkspace,
        template: BuildTemplate
    ) async throws -> BuildProof {
        // The ledger is written from the bus; wait (briefly) until it holds every call this build made
        // (an OpenAPI build with no model made none: no wait).
        var totals = ledgerTotalsNow(workspace.id)
        let calls = state.attempts.filter { $0.model != OpenAPIBuildModel.label }.count
        for _ in 0..<40 where totals.0 < calls {
            try await Task.sleep(for: .milliseconds(50))
            totals = ledgerTotalsNow(workspace.id)
        }
        let upgrade = plan.previous.map { FileSetDiff(from: Self.installedFiles($0.path), to: files.files) }
        let m = plan.manifest
        guard let report = passed.report else {
            throw NexusError("build \(workspace.id): the passing attempt has no gate report")
        }
        return BuildProof(
            buildID: workspace.id, module: m.name, version: m.version, files: files, report: report,
            hosts: m.networkAllow, credentials: m.credentials.map { "\($0.name) (\($0.env))" }, sha256: plan.sha256,
            attempts: state.attempts, tokensIn: totals.1, tokensOut: totals.2, costUSD: totals.3, upgradeDiff: upgrade,
            templateVersion: template.version, folder: passed.folder ?? plan.folder)
    }

    /// The text files of an installed module (the runtime helper NEXUS adds left out), for the upgrade diff.
    static func installedFiles(_ root: String) -> [BuildFile] {
        ModuleFiles.walk(root).compactMap { e -> BuildFile? in
            guard case .file = e.kind, e.path != "nexus_adapter.py",
                // Binary or too large for the proof: left out of it.
                let text = try? FileSystem.readText(root + "/" + e.path, limit: BuildFileSet.Limits.fileBytes)
            else { return nil }
            return BuildFile(path: e.path, content: text)
        }
    }
}
