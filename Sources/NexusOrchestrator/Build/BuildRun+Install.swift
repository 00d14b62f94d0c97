import NexusCore
import NexusEvolution
import NexusModules
import NexusVault

/// After the install: the credentials the module declares (given with `--credential`, or asked for with
/// hidden input; each may be skipped), then the manifest's `smoke_test` as a live call in integration
/// mode. A failed live test marks the module degraded with the reason and the way out; it stays installed.
extension BuildRun {
    struct LiveOutcome: Sendable {
        var verdict: String
        var message: String
        var degraded: Bool
    }

    func credentials(
        manifest: ModuleManifest, given: [String: [UInt8]]
    ) async -> (CredentialStore?, [ModuleManifest.Credential]) {
        if manifest.credentials.isEmpty { return (nil, []) }
        let store: CredentialStore
        do { store = try setup.openVault() } catch {
            stages.notice("vault: \(error.userFacingDescription) — no credential stored")
            return (nil, manifest.credentials)
        }
        // A vault that cannot be listed asks for every credential; storing then reports its own errors.
        let have = Set(((try? store.list(module: manifest.name)) ?? []).map(\.name))
        var missing: [ModuleManifest.Credential] = []
        for c in manifest.credentials where !have.contains(c.name) {
            var value = given[c.name]
            if value == nil {
                let prompt = SecretPrompt(module: manifest.name, name: c.name, instructions: c.instructions)
                value = await interaction.askSecret(prompt).map { Array($0.utf8) }
            }
            guard var v = value, !v.isEmpty else {
                missing.append(c)
                continue
            }
            defer { for i in v.indices { v[i] = 0 } }
            do {
                _ = try store.set(module: manifest.name, name: c.name, value: v, actor: .user(command: "build"))
                stages.notice("stored credential \(manifest.name)/\(c.name) in the vault")
            } catch {
                stages.notice("vault: \(error.userFacingDescription)")
                missing.append(c)
            }
        }
        return (store, missing)
    }

    func liveTest(manifest: ModuleManifest, store: CredentialStore?, missing: [ModuleManifest.Credential]) async
        -> LiveOutcome
    {
        let name = manifest.name
        guard let smoke = SmokeTest(manifest: manifest) else {
            return LiveOutcome(
                verdict: "none", message: "No live test: the manifest declares no smoke_test.", degraded: false)
        }
        if !missing.isEmpty {
            return LiveOutcome(
                verdict: "skipped",
                message: "Live test skipped: \(missing.map(\.name).joined(separator: ", ")) not set; "
                    + "set it, then run: nexus modules test \(name)",
                degraded: false)
        }
        let live = setup.liveModules(store)
        // The vault's redactor as it is now: it knows the values this build just stored.
        let redactor = store?.redactor
        let clean: (String) -> String = { text in redactor.map { $0.redact(scrub(text)) } ?? scrub(text) }
        let outcome: LiveOutcome
        do {
            let r = try await live.host.callTool(
                module: name, tool: smoke.tool, arguments: smoke.arguments, approval: approval)
            if r.isError {
                outcome = degrade(name, tool: smoke.tool, reason: clean(r.text))
            } else {
                outcome = LiveOutcome(
                    verdict: "ok", message: "Live test \(smoke.tool): ok — " + String(clean(r.text).prefix(300)),
                    degraded: false)
            }
        } catch {
            outcome = degrade(name, tool: smoke.tool, reason: clean(error.userFacingDescription))
        }
        await live.host.stop(name)
        return outcome
    }

    func degrade(_ name: String, tool: String, reason: String) -> LiveOutcome {
        let short = String(reason.prefix(300))
        do { try setup.modules.installer.registry.setHealth(name, .degraded, lastError: "live test: " + short) } catch {
            stages.notice("registry: \(error.userFacingDescription)")
        }
        bus.publish(turn: turn, .moduleHealth(module: name, health: .degraded, reason: "live test failed: " + short))
        return LiveOutcome(
            verdict: "failed",
            message: "Live test \(tool) FAILED: \(short)\nThe module stays installed and is marked degraded. Check its "
                + "credentials (nexus creds list \(name)), then run: nexus modules test \(name); or remove it: "
                + "nexus modules remove \(name).",
            degraded: true)
    }
}
