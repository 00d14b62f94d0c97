import NexusCore
import NexusEvolution
import NexusModules
import NexusOrchestrator
import NexusStore
import NexusTesting
import Testing

/// A build's install runs the grant checks `nexus modules install` runs, whatever the gate let through:
/// the gate refuses every filesystem grant today, and a boundary that holds only because another one does
/// is not one. Here the gate is replaced by one that passes everything (as a gate with a hole would), the
/// scripted model writes a module whose manifest asks to write a shell start-up file, and the person says
/// yes to everything: the install still refuses it, before anyone is asked, and nothing is installed.
@Suite(.serialized) struct BuildInstallGrantSpecs {
    /// The repository's `templates/python`, found from this file's place.
    static var templates: String {
        let file = #filePath
        let tests = file.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + tests + "/templates/python"
    }

    static func manifest(filesystem: String) -> String {
        """
        {"name": "notes", "version": "1.0.0", "category": "demo", "platform": "notes", "display_name": "Notes",
         "description": "Keeps notes.", "entry_point": "adapter.py", "class_name": "NotesAdapter",
         "requires_api_key": false, "python_dependencies": [], "test_file": "test_adapter.py",
         "health_status": "healthy", "created_by": "executor_agent", "created_at": "2026-12-06T00:00:00Z",
         "build_provider": "", "validation_results": {},
         "runtime": {"protocol": "mcp-stdio", "command": ["python3", "adapter.py"]},
         "network": {"allow": []}, "sensitive_tools": [], "filesystem": \(filesystem)}
        """
    }

    static func reply(filesystem: String) -> String {
        let files: [(String, String)] = [
            ("manifest.json", manifest(filesystem: filesystem)),
            ("adapter.py", "print('notes')\n"),
            ("test_adapter.py", "def test_nothing():\n    assert True\n"),
        ]
        let set = JSONValue.object(
            JSONObject([
                (
                    "files",
                    .array(files.map { .object(JSONObject([("path", .string($0.0)), ("content", .string($0.1))])) })
                ),
                ("notes", .string("generated")),
            ]))
        return "```json\n" + set.pretty() + "\n```\n"
    }

    /// A session whose gate passes every folder and whose person approves everything.
    static func session(_ fake: ScriptedProvider) throws -> InProcessNexus {
        let config = TurnLoopSpecs.config(extra: "[build]\nmax_repairs = 0\n")
        let nexus = try InProcessNexus(
            config: config, providers: [fake], interaction: ScriptedInteraction(fallback: .yes),
            launcher: PassThroughLauncher(mode: .inProcess))
        let modules = try #require(nexus.modules)
        var passing = GateReport(checks: [GateCheck(name: "manifest", passed: true, evidence: "", seconds: 0)])
        passing.tools = ["write_note"]
        let report = passing
        try nexus.orchestrator.registerBuildCommands(
            BuildSetup(
                modules: modules, gate: { _ in report }, templatesDirectory: templates,
                buildsDirectory: nexus.context.paths.home + "/builds",
                openVault: { throw NexusError("no vault in this spec") }, liveModules: { _ in modules }))
        return nexus
    }

    @Test func aBuiltModuleAskingToWriteAShellStartUpFileIsRefusedAtInstallEvenWhenTheGatePassesIt() async throws {
        let fake = ScriptedProvider(
            name: "fake", steps: [.reply(text: Self.reply(filesystem: #"{"write": ["/root/.bashrc"]}"#))])
        let nexus = try Self.session(fake)
        let (outcome, events) = await nexus.run("/build a notes module")
        #expect(outcome != .done, "\(events.map(\.json))")
        let error = events.compactMap { e -> String? in
            if case .error(let message, let hint) = e.kind { return message + " | " + (hint ?? "") }
            return nil
        }.joined()
        #expect(error.contains("writes /root/.bashrc"), "\(error)")
        #expect(error.contains("a built module is given no host path"), "\(error)")
        #expect(error.contains("nexus modules install FOLDER --write /root/.bashrc"), "\(error)")
        let asked = events.contains { if case .approvalRequired = $0.kind { true } else { false } }
        #expect(!asked, "nobody is asked to approve it")
        #expect(try nexus.modules?.installer.registry.get("notes") == nil, "nothing is installed")
        await nexus.close()
    }

    @Test func aBuiltModuleAskingToReadSSHKeysIsRefusedAtInstallEvenWhenTheGatePassesIt() async throws {
        let fake = ScriptedProvider(
            name: "fake", steps: [.reply(text: Self.reply(filesystem: #"{"read": ["/root/.ssh"]}"#))])
        let nexus = try Self.session(fake)
        let (outcome, events) = await nexus.run("/build a notes module")
        #expect(outcome != .done)
        let error = events.compactMap { e -> String? in
            if case .error(let message, _) = e.kind { return message }
            return nil
        }.joined()
        #expect(error.contains("reads /root/.ssh"), "\(error)")
        #expect(try nexus.modules?.installer.registry.get("notes") == nil, "nothing is installed")
        await nexus.close()
    }
}
