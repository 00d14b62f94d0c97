import NexusCore
import NexusStore

/// The tool catalogue offered to the model, built-in discovery, and status rows.
extension ModuleHost {
    /// Every enabled module's tools, namespaced `<module>__<tool>`. Comes from the registry's cached
    /// lists; only a module never listed before is started to learn its tools.
    public func toolDefinitions() async -> [ToolDefinition] { await versionedToolDefinitions().tools }

    /// `toolDefinitions()` with its version, read together: a new version whenever any enabled module's tools
    /// change (install, remove, enable, disable, a re-list after `tools/list_changed`, a credential taken up).
    public func versionedToolDefinitions() async -> (version: Int, tools: [ToolDefinition]) {
        await takeUpStoredCredentials()
        if routes == nil { await buildCatalogue() }
        return (definitionsVersion, definitions)
    }

    /// A module waiting for its credential joins the catalogue as soon as the credential is stored, from
    /// this session (`/creds set`) or another shell (`nexus creds set`): each look-up asks the vault for the
    /// waiting modules only, without starting anything until the credential is there.
    func takeUpStoredCredentials() async {
        guard !waitingForCredential.isEmpty, let provide = credentials else { return }
        for name in waitingForCredential.keys.sorted() {
            // Unreadable now: ask again at the next look-up; start() reports real failures when it runs.
            guard let record = try? registry.get(name), let manifest = try? ModuleManifest.load(folder: record.path)
            else { continue }
            do {
                _ = try await provide(name, manifest.credentials.map { (name: $0.name, env: $0.env) })
            } catch {
                continue
            }
            waitingForCredential[name] = nil
            routes = nil
        }
    }

    /// Enabled modules whose tools are held back until the person stores a credential, with that
    /// credential's name, sorted by module. Filled as modules fail to start for that reason.
    public func modulesWaitingForCredentials() async -> [(module: String, credential: String)] {
        if routes == nil { await buildCatalogue() }
        // A note for the model only: an unreadable registry lists none here, and buildCatalogue says why.
        let enabled = Set(((try? registry.all()) ?? []).filter { $0.state == .enabled }.map(\.name))
        return waitingForCredential.filter { enabled.contains($0.key) }.sorted { $0.key < $1.key }
            .map { (module: $0.key, credential: $0.value) }
    }

    func buildCatalogue() async {
        // A crash mid-install leaves a journal entry: settle it before trusting the registry (one query).
        // One that cannot be settled now stays journaled and is settled by the next start; nothing is lost.
        _ = try? ModuleInstaller(registry: registry, modulesDirectory: options.modulesDirectory).recover()
        discoverBuiltins()
        let records: [ModuleRecord]
        do {
            records = try registry.all()
        } catch {
            records = []
            bus.publish(turn: 0, .notice("modules: cannot read the registry: \(error.userFacingDescription)"))
        }
        var pairs: [(module: String, tool: MCPTool)] = []
        for r in records where r.state == .enabled {
            var tools = r.tools
            // A module that never listed its tools and failed its last start is not started again on every
            // launch: each attempt would hold the turn for its whole handshake timeout. `nexus doctor` names
            // it; `modules test` or `modules reload` start it again.
            if tools == nil && r.health == .failing { continue }
            // start() reports its own failure (module_health failing, the registry's last error).
            if tools == nil { tools = try? await start(r.name) }
            // A list cached by an older nexus may hold names MCP 2025-11-25 forbids: never offer those. Nor a name
            // that quotes a secret (most API keys are valid tool names): a name cannot be redacted and stay a name,
            // and a list just read from the module has not passed the redactor (the registry's copy has).
            for t in tools ?? [] where MCPTool.nameProblem(t.name) == nil && registry.redact(t.name) == t.name {
                pairs.append((r.name, t))
            }
        }
        let names = ToolNamespace.assign(pairs.map { ($0.module, $0.tool.name) })
        var table: [String: Route] = [:]
        var defs: [ToolDefinition] = []
        for (i, p) in pairs.enumerated() {
            table[names[i]] = Route(module: p.module, tool: p.tool.name)
            let desc =
                p.tool.description.isEmpty ? "(module \(p.module))" : "\(p.tool.description) (module \(p.module))"
            // A module writes its own descriptions: they reach the model, so they pass the redactor too.
            defs.append(
                ToolDefinition(
                    name: names[i], description: registry.redact(desc), inputSchema: redacted(p.tool.inputSchema)))
        }
        routes = table
        // Every rebuild is a new version (they follow real changes): comparing the lists would cost seconds for a
        // description of one letter and 200,000 combining marks (String's `==` compares canonical equivalence).
        definitionsVersion = ToolsGeneration.next()
        definitions = defs
    }

    /// `schema` with the redactor applied to its text (a default value or a parameter description may
    /// quote a credential); a schema the redactor breaks becomes an empty object schema.
    nonisolated func redacted(_ schema: JSONValue) -> JSONValue {
        let text = schema.serialized
        let clean = registry.redact(text)
        if clean == text { return schema }
        // The documented fallback above: a schema the redactor broke offers no parameters rather than a secret.
        return (try? JSONValue(parsing: clean)) ?? ["type": "object", "properties": [:]]
    }

    /// The namespaced name → (module, tool) table (for the orchestrator's tool events).
    public func route(of namespaced: String) async -> (module: String, tool: String)? {
        if routes == nil { await buildCatalogue() }
        return routes?[namespaced].map { ($0.module, $0.tool) }
    }

    /// discover: registers the built-in modules shipped with nexus (once per host). A built-in seen for
    /// the first time is approved as found; one whose files changed since needs a new approval (see
    /// `BuiltinModules.reconcile`). An installed module of the same name wins; two built-ins with one
    /// name are reported.
    public func discoverBuiltins() {
        guard !builtinsDiscovered else { return }
        builtinsDiscovered = true
        guard let root = options.builtinDirectory else { return }
        var seen: [String: String] = [:]
        for folder in BuiltinModules.folders(in: root) {
            let m: ModuleManifest
            do {
                m = try ModuleManifest.load(folder: folder)
            } catch {
                discoveryProblems.append(error.userMessage)
                continue
            }
            if let other = seen[m.name] {
                discoveryProblems.append("\(folder): module name \(m.name) is already used by \(other); skipped")
                continue
            }
            seen[m.name] = folder
            // A read that fails is treated as a new module; the upsert below then reports its own failure.
            let existing = try? registry.get(m.name)
            guard
                let r = BuiltinModules.reconcile(
                    existing: existing, manifest: m, folder: folder, modulesDirectory: options.modulesDirectory)
            else { continue }
            saving("built-in module \(r.name)") { try registry.upsert(r) }
        }
    }

    /// The health a status row shows. The circuit breaker judges calls, so it speaks for a module that has a
    /// process or has been called; a module whose start failed (a credential not stored, a broken manifest)
    /// has neither, and its record says why — a breaker that has seen nothing must not call it healthy.
    func shownHealth(_ r: ModuleRecord) -> ModuleHealth {
        if r.state == .disabled { return .disabled }
        guard let rt = runtimes[r.name] else { return r.health }
        if rt.connection == nil && (r.calls == 0 || r.health == .unknown || r.health == .failing) { return r.health }
        return rt.breaker.health
    }

    /// One row per module (name, health, calls, error rate, p50, last error), from the registry.
    public func statusRows() -> [ModuleStatus] {
        // Status rows only: an unreadable registry shows none, and buildCatalogue says why.
        let records = (try? registry.all()) ?? []
        return records.map { r in
            // Display only: no stats read shows as none.
            let stats = (try? registry.recentStats(r.name)) ?? (p50: nil, errorRate: 0)
            let running = runtimes[r.name]?.connection.map { !$0.client.isClosed } ?? false
            return ModuleStatus(
                name: r.name, category: r.category, version: r.version, state: r.state,
                health: shownHealth(r), running: running, calls: r.calls,
                errorRate: stats.errorRate, p50Ms: stats.p50, lastError: r.lastError, source: r.source,
                toolCount: r.tools?.count)
        }
    }
}
