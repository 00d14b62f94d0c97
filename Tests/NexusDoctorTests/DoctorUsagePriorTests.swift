import NexusCore
import NexusModules
import NexusOrchestrator
import NexusTesting
import Testing

@testable import NexusDoctor

/// `nexus doctor`'s tool picker line says whether the usage prior is on and how many installed apps it has seen used.
@Suite struct DoctorUsagePriorTests {
    /// No provider is asked: the doctor line reads the config and the call log.
    static let config = "privacy = \"open\"\n"

    @Test func theToolPickerLineCountsTheAppsUsedSuccessfullyAndSaysWhenThePriorIsOff() async throws {
        let nexus = try InProcessNexus(config: Self.config, providers: [])
        let registry = ModuleRegistry(database: nexus.context.database)
        for app in ["slack", "spotify"] {
            try registry.upsert(
                ModuleRecord(
                    name: app, category: "testing", version: "1.0.0", path: "/m/\(app)", sha256: "x", source: "test",
                    installedAt: WallClock.now() - 60))
        }
        #expect(Doctor.usagePriorNote(nexus.context) == "; usage prior on (0 apps used)")
        try registry.recordCall(module: "slack", tool: "post_message", latencyMs: 1, outcome: "ok", error: nil)
        try registry.recordCall(module: "spotify", tool: "pause", latencyMs: 1, outcome: "error", error: "down")
        #expect(Doctor.usagePriorNote(nexus.context) == "; usage prior on (1 app used)")
        let off = try InProcessNexus(config: Self.config + "\n[modules]\nusage_prior = false\n", providers: [])
        #expect(Doctor.usagePriorNote(off.context) == "; usage prior off")
        await nexus.close()
        await off.close()
        #expect(throws: (any Error).self) {
            try ConfigLoader.load(text: "[modules]\nusage_prior = 3\n", file: "nexus.toml", environment: [:])
        }
    }
}
