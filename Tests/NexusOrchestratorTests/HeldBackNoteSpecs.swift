import NexusCore
import NexusModules
import NexusOrchestrator
import NexusStore
import NexusTesting
import Testing

/// The note that tells the model which modules wait for a credential (`ModuleToolSource.heldBack`), asked at every
/// turn's executor step: it costs nothing while nothing changed, however many modules are installed, and any change
/// (a module held back, released, disabled or enabled, by this session or another process) shows at the next ask.
@Suite struct HeldBackNoteSpecs {
    /// A session with the weather module installed and its credential not stored, and the module tool source the
    /// executor asks.
    static func session() async throws -> (nexus: InProcessNexus, source: ModuleToolSource, vault: InMemoryVault) {
        let vault = try InMemoryVault()
        let nexus = try InProcessNexus(
            config: TurnLoopSpecs.config(), providers: [ScriptedProvider(name: "fake", steps: [])], vault: vault,
            launcher: PassThroughLauncher(mode: .inProcess))
        try await nexus.install(OrchestratorHarnessSpecs.weather)
        let host = try #require(nexus.modules?.host)
        return (nexus, ModuleToolSource(host: host), vault)
    }

    @Test func whileNothingChangedTheNoteIsAnsweredWithoutReadingTheModuleList() async throws {
        let (nexus, source, _) = try await Self.session()
        let first = await source.heldBack()
        #expect(first.count == 1 && first[0].contains("nexus creds set weather api_key"), "\(first)")
        // The module list cannot be read any more: an ask that read it would lose the note.
        try nexus.context.database.execute("ALTER TABLE modules RENAME TO modules_away")
        let again = await source.heldBack()
        try nexus.context.database.execute("ALTER TABLE modules_away RENAME TO modules")
        #expect(again == first, "an unchanged registry is not read")
        await nexus.close()
    }

    @Test func aModuleDisabledEnabledOrReleasedMidSessionChangesTheNoteAtTheNextAsk() async throws {
        let (nexus, source, vault) = try await Self.session()
        #expect(await source.heldBack().count == 1)
        // Another process on the same home disables it, then enables it again: an audit row each.
        let other = ModuleRegistry(database: try Database(path: nexus.context.paths.database))
        try other.setState("weather", .disabled)
        #expect(await source.heldBack() == [], "a disabled module is not named")
        try other.setState("weather", .enabled)
        #expect(await source.heldBack().count == 1)
        // The person stores the credential: the picker's look at the catalogue takes it up, and the note goes.
        _ = try vault.store(module: "weather", name: "api_key", value: "k-1", actor: "user:creds set")
        _ = await source.versionedTools()
        #expect(await source.heldBack() == [])
        await nexus.close()
    }

    @Test func aModuleHeldBackMidSessionIsNamedAtTheNextAsk() async throws {
        let (nexus, source, vault) = try await Self.session()
        _ = try vault.store(module: "weather", name: "api_key", value: "k-1", actor: "user:creds set")
        _ = await source.versionedTools()
        #expect(await source.heldBack() == [], "started with its key")
        // The key is removed, and the module's process ends: its next start has no credential and is held back.
        try vault.remove(module: "weather", name: "api_key", actor: "user:creds rm")
        let host = try #require(nexus.modules?.host)
        let crash = await host.call(toolName: "weather__boom", arguments: [:], approval: ScriptedInteraction())
        #expect(crash.isError)
        let retry = await host.call(
            toolName: "weather__forecast", arguments: ["city": "Paris"], approval: ScriptedInteraction())
        #expect(retry.isError, "\(retry.content)")
        let note = await source.heldBack()
        #expect(note.count == 1 && note[0].contains("nexus creds set weather api_key"), "\(note)")
        await nexus.close()
    }
}
