import NexusCore
import NexusOrchestrator
import NexusTesting
import Testing

/// `/tools`: one line per tool the model may call, whatever text a module put in its description.
@Suite struct ToolsCommandSpecs {
    @Test func aLongOrMultiLineDescriptionIsListedOnOneLineAndSaysItWasCut() async throws {
        let long = String(repeating: "word ", count: 40)
        let tools = ScriptedToolSource([
            .init(name: "notes__find", description: "Find notes.\nArgs:\n  query: words to look for") { _ in ("", false)
            },
            .init(name: "notes__long", description: long) { _ in ("", false) },
        ])
        let nexus = try InProcessNexus(config: TurnLoopSpecs.config(), providers: [], tools: [tools])
        let (_, events) = await nexus.run("/tools")
        let text = events.compactMap { if case .commandOutput(_, let t) = $0.kind { t } else { nil } }.joined()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("notes__find  Find notes. Args:   query: words to look for") }, "\(text)")
        let cut = lines.first { $0.contains("notes__long") } ?? ""
        #expect(cut.hasSuffix("…"), "\(cut)")
        #expect(cut.count < long.count)
        await nexus.close()
    }
}
