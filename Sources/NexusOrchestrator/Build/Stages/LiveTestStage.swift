import NexusCore
import NexusEvolution
import NexusModules
import NexusVault

/// The last stage of a build: the manifest's `smoke_test` as a live call in integration mode, with the
/// credentials just stored. A failed live test marks the module degraded with the reason and the way out;
/// it stays installed. Skipped (and said so) while a credential is missing.
struct LiveTestStage: PipelineStage {
    struct Input: Sendable {
        var manifest: ModuleManifest
        var store: CredentialStore?
        var missing: [ModuleManifest.Credential]
    }

    struct Outcome: Sendable {
        var verdict: String
        var message: String
        var degraded: Bool
        /// For a degraded module: what to do next (store the credentials again, test, or remove it).
        var nextStep: String? = nil
    }

    let setup: BuildSetup
    let approval: any ApprovalHandler
    let scrub: @Sendable (String) -> String
    let bus: EventBus
    let turn: Int

    var node: PipelineNode { .liveTest }

    func run(_ input: Input) async -> Outcome {
        let name = input.manifest.name
        guard let smoke = SmokeTest(manifest: input.manifest) else {
            return Outcome(
                verdict: "none", message: "No live test: the manifest declares no smoke_test.", degraded: false)
        }
        if !input.missing.isEmpty {
            return Outcome(
                verdict: "skipped",
                message: "Live test skipped: \(input.missing.map(\.name).joined(separator: ", ")) not set; "
                    + "set it, then run: nexus modules test \(name)",
                degraded: false)
        }
        let live = setup.liveModules(input.store)
        // The vault's redactor as it is now: it knows the values this build just stored.
        let redactor = input.store?.redactor
        let clean: (String) -> String = { text in redactor.map { $0.redact(scrub(text)) } ?? scrub(text) }
        let outcome: Outcome
        do {
            let r = try await live.host.callTool(
                module: name, tool: smoke.tool, arguments: smoke.arguments, approval: approval)
            if r.isError {
                outcome = degrade(input.manifest, tool: smoke.tool, reason: clean(r.text))
            } else {
                outcome = Outcome(
                    verdict: "ok", message: "Live test \(smoke.tool): ok — " + String(clean(r.text).prefix(300)),
                    degraded: false)
            }
        } catch {
            outcome = degrade(input.manifest, tool: smoke.tool, reason: clean(error.userFacingDescription))
        }
        await live.host.stop(name)
        return outcome
    }

    func detail(_ output: Outcome) -> String? { output.verdict }

    func degrade(_ manifest: ModuleManifest, tool: String, reason: String) -> Outcome {
        let name = manifest.name
        let short = String(reason.prefix(300))
        do { try setup.modules.installer.registry.setHealth(name, .degraded, lastError: "live test: " + short) } catch {
            bus.publish(turn: turn, .notice("registry: \(error.userFacingDescription)"))
        }
        bus.publish(turn: turn, .moduleHealth(module: name, health: .degraded, reason: "live test failed: " + short))
        return Outcome(
            verdict: "failed",
            message: "Live test \(tool) FAILED: \(short)\nThe module stays installed and is marked degraded.",
            degraded: true, nextStep: Self.nextStep(manifest))
    }

    /// The way out of a failed live test: a wrong credential is the usual cause, so each declared one is
    /// named with the command that stores it again, then the test that lifts the mark.
    static func nextStep(_ manifest: ModuleManifest) -> String {
        let name = manifest.name
        let store = manifest.credentials.map { "nexus creds set \(name) \($0.name)" }
        let first =
            store.isEmpty
            ? "fix what the error says"
            : "if a credential is wrong, store it again (\(store.joined(separator: "; ")))"
        return first + ", then run: nexus modules test \(name); or remove it: nexus modules remove \(name)"
    }
}
