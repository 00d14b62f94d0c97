import NexusCore
import NexusModules
import NexusOrchestrator
import NexusVault

/// The module lines: installed, enabled, degraded and failing modules from the registry (no module is started),
/// and modules whose last failure has a known cause nexus can name (a server written for the `mcp` 1.x package
/// crashing under 2.x), so `nexus doctor` says what to do instead of "failing".
extension Doctor {
    /// Installed modules and the ones whose last calls failed, from the registry (no module is started).
    static func moduleCheck(_ ctx: NexusContext) -> DoctorCheck {
        // The else branch reports it.
        guard let all = try? ModuleRegistry(database: ctx.database).all() else {
            return DoctorCheck(.warn, "modules", "cannot read the module registry")
        }
        let enabled = all.filter { $0.state == .enabled }
        if enabled.isEmpty {
            return DoctorCheck(.ok, "modules", all.isEmpty ? "none installed" : "\(all.count) installed, none enabled")
        }
        let waiting = waitingForCredentials(enabled, ctx)
        let failing = enabled.filter { $0.health == .failing }
        guard let first = failing.first else {
            let degraded = enabled.filter { $0.health == .degraded }
            // A limit that ended a module is named: the fix is a knob, not a bug hunt.
            let limit = degraded.lazy.compactMap { r in
                r.lastError.flatMap(ModuleLimit.named).map { " (\(r.name) was stopped by its \($0))" }
            }.first
            let state = degraded.isEmpty ? ", none failing" : ", \(degraded.count) degraded"
            return DoctorCheck(
                degraded.isEmpty ? .ok : .warn, "modules",
                "\(enabled.count) enabled" + state + (limit ?? "") + waiting.detail, fix: waiting.fix)
        }
        let names = failing.map(\.name).joined(separator: ", ")
        let why = first.lastError.map { " (\(first.name): \(String($0.prefix(120))))" } ?? ""
        return DoctorCheck(
            .warn, "modules", "\(enabled.count) enabled, failing: \(names)\(why)" + waiting.detail,
            fix:
                "`nexus modules test \(first.name)` shows why; `nexus modules disable \(first.name)` keeps turns from waiting on it"
        )
    }

    /// Enabled modules that declare a credential the vault does not hold: they start only once it is stored,
    /// which a person learns here rather than from a module that never answers. Read from the manifests and
    /// the vault's names (no key is needed, none is made). A manifest or vault that cannot be read names nothing.
    static func waitingForCredentials(_ enabled: [ModuleRecord], _ ctx: NexusContext) -> (detail: String, fix: String?)
    {
        guard let stored = try? StoredCredentialNames.read(ctx.database) else { return ("", nil) }
        let waiting: [(module: String, credential: String)] = enabled.compactMap { r in
            guard let manifest = try? ModuleManifest.load(folder: r.path) else { return nil }
            let missing = manifest.credentials.first {
                !stored.contains(.init(module: r.name, name: $0.name.lowercased()))
            }
            return missing.map { (r.name, $0.name) }
        }
        guard !waiting.isEmpty else { return ("", nil) }
        let list = waiting.map { "\($0.module) (\($0.credential))" }.joined(separator: ", ")
        // One command per waiting module (three at most, then how many more), so each can be copied as it is.
        var commands = waiting.prefix(3).map { "nexus creds set \($0.module) \($0.credential)" }
        if waiting.count > 3 { commands.append("and \(waiting.count - 3) more (listed above)") }
        return ("; waiting for a credential: \(list)", commands.joined(separator: "; "))
    }

    public static func moduleCompatibilityChecks(_ records: [ModuleRecord]) -> [DoctorCheck] {
        records.compactMap { r in
            guard r.state == .enabled, let e = r.lastError,
                let problem = MCPCompatibility.knownProblem(stderr: e)
                    ?? (e.contains(MCPCompatibility.mcp2Sentence) ? MCPCompatibility.mcp2Sentence : nil)
            else { return nil }
            return DoctorCheck(
                .warn, "module", "\(r.name): \(problem)",
                fix:
                    "reinstall it into a venv with `pip install <package> 'mcp<2'`, then `nexus modules test \(r.name)`"
            )
        }
    }
}
