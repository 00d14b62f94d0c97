import NexusCore
import NexusStore

/// Asked for the secrets a module wants when its process starts: module name and the manifest's
/// `credentials` (name, env). Returns env-var → value. The host never sees the vault itself.
public typealias CredentialProvider =
    @Sendable (_ module: String, _ wanted: [(name: String, env: String)]) async throws
    -> [String: String]

/// Runs installed modules for the orchestrator: the tool catalogue, calls, lifecycle and health.
///
/// Lifecycle (the seed's): discover → load → register → health-check → serve; disable → unregister →
/// unload → archive. Nothing starts at construction: the catalogue comes from the registry's cached
/// tool lists, and a module's process starts on its first call (so a thousand installed modules cost
/// nothing at start-up), stops after `idleShutdownSeconds` without calls, and restarts after a crash
/// with exponential back-off. Each call passes the module's circuit breaker and rate limit, asks for
/// approval when the tool matches `sensitive_tools`, and is recorded in the registry.
public actor ModuleHost {
    public struct Options: Sendable {
        /// `$NEXUS_HOME/modules`: installed modules and their workspaces.
        public var modulesDirectory: String
        /// The built-in modules folder (see `BuiltinModules.locate`), nil for none.
        public var builtinDirectory: String?
        /// `$NEXUS_HOME/logs`: each module logs to `modules/<name>.log` below it; nil for no files.
        public var logsDirectory: String?
        public var idleShutdownSeconds: Double
        public var callTimeoutSeconds: Double
        public var limits: MCPLimits
        public var breaker: CircuitBreaker.Policy
        public var restartBackoffBase: Double
        public var restartBackoffMax: Double

        public init(
            modulesDirectory: String, builtinDirectory: String? = nil, logsDirectory: String? = nil,
            idleShutdownSeconds: Double = 300, callTimeoutSeconds: Double = 30, limits: MCPLimits = MCPLimits(),
            breaker: CircuitBreaker.Policy = .init(), restartBackoffBase: Double = 0.5, restartBackoffMax: Double = 30
        ) {
            self.modulesDirectory = modulesDirectory
            self.builtinDirectory = builtinDirectory
            self.logsDirectory = logsDirectory
            self.idleShutdownSeconds = idleShutdownSeconds
            self.callTimeoutSeconds = callTimeoutSeconds
            self.limits = limits
            self.breaker = breaker
            self.restartBackoffBase = restartBackoffBase
            self.restartBackoffMax = restartBackoffMax
        }
    }

    /// Where a namespaced tool name leads.
    struct Route: Sendable, Equatable {
        let module: String
        let tool: String
    }

    public nonisolated let registry: ModuleRegistry
    public nonisolated let options: Options
    nonisolated let bus: EventBus
    nonisolated let launcher: any ModuleLauncher
    nonisolated let credentials: CredentialProvider?
    /// Registry writes that failed (health, tool cache, call statistics): a notice once, a log line each.
    nonisolated let lostWrites: LostWriteReporter

    var runtimes: [String: ModuleRuntime] = [:]
    var routes: [String: Route]?
    var definitions: [ToolDefinition] = []
    /// A new one (`ToolsGeneration`) whenever `definitions` is rebuilt: what the picker keys its caches on.
    var definitionsVersion = ToolsGeneration.next()
    /// Enabled modules that could not start because a credential they declare is not stored (module →
    /// credential name). Their tools are not offered; the model is told how the person can unlock them.
    var waitingForCredential: [String: String] = [:]
    var builtinsDiscovered = false
    /// Problems met while discovering built-ins (bad manifests, duplicate names), for `nexus modules list`.
    public internal(set) var discoveryProblems: [String] = []
    var nextConnectionID = 1
    var approvalCounter = 0

    public init(
        registry: ModuleRegistry, bus: EventBus, launcher: any ModuleLauncher = DirectLauncher(),
        credentials: CredentialProvider? = nil, options: Options
    ) {
        self.registry = registry
        self.bus = bus
        self.launcher = launcher
        self.credentials = credentials
        self.lostWrites = LostWriteReporter(bus: bus, logsDirectory: options.logsDirectory)
        self.options = options
    }

    static func now() -> Double { Double(MonotonicClock.nanoseconds()) / 1e9 }

    func runtime(_ name: String) -> ModuleRuntime {
        if let r = runtimes[name] { return r }
        let r = ModuleRuntime(name: name, policy: options.breaker)
        runtimes[name] = r
        return r
    }

    // MARK: calls

    /// Runs a namespaced tool (`time__get_current_time`) and returns what goes back to the model.
    /// Never throws: every failure becomes an error result naming the module. `traceparent` (W3C) goes to the
    /// module in the request's `_meta`; nil gives the call a random one.
    public func call(
        toolName: String, arguments: JSONValue, approval: any ApprovalHandler, callID: String = "",
        traceparent: String? = nil
    ) async -> ToolResult {
        func failure(_ e: any Error, module: String? = nil) -> ToolResult {
            let text = ModuleLimit.annotate(e.userFacingDescription, memoryMB: module.flatMap { memoryLimit($0) })
            return ToolResult(callID: callID, name: toolName, content: text, isError: true)
        }
        if routes == nil { await buildCatalogue() }
        // A name not in the catalogue still reaches its module when the prefix names an enabled one
        // (its tool list may be unknown because it failed to start): the module's own error is clearer.
        guard let route = routes?[toolName] ?? directRoute(toolName) else {
            return failure(ModuleHostError.unknownTool(toolName))
        }
        do {
            let r = try await callTool(
                module: route.module, tool: route.tool, arguments: arguments, approval: approval,
                traceparent: traceparent)
            return ToolResult(callID: callID, name: toolName, content: r.text, isError: r.isError)
        } catch {
            return failure(error, module: route.module)
        }
    }

    /// Runs `tool` of `module` (its own, un-namespaced name). Throws `ModuleHostError`, `MCPError`,
    /// `ManifestError` or `LaunchError`.
    public func callTool(
        module name: String, tool: String, arguments: JSONValue, approval: any ApprovalHandler,
        traceparent: String? = nil
    ) async throws -> MCPToolResult {
        let start = MonotonicClock.nanoseconds()
        let rt = runtime(name)
        let (admission, transition) = rt.breaker.admit(now: Self.now())
        publish(name, transition)
        if case .reject(let retry) = admission {
            let e = ModuleHostError.circuitOpen(module: name, retryIn: retry)
            record(name, tool, start, "rejected", e.userMessage)
            throw e
        }
        let conn: ModuleConnection
        do {
            conn = try await connection(for: name)
        } catch {
            finish(
                rt, name, tool, start, success: false, outcome: "error", error: error,
                breakerCounts: !(error is ModuleHostError))
            throw error
        }
        if let limit = conn.manifest.rateLimitPerMinute {
            if rt.limiter?.perMinute != limit { rt.limiter = RateLimiter(perMinute: limit) }
            if let wait = rt.limiter?.take(now: Self.now()) {
                releaseProbe(rt, admission)
                let e = ModuleHostError.rateLimited(module: name, perMinute: limit, retryIn: wait)
                record(name, tool, start, "rejected", e.userMessage)
                throw e
            }
        }
        if conn.manifest.sensitiveTools.contains(where: { ToolNamespace.matches(tool, glob: $0) }),
            case let request = sensitiveRequest(conn.manifest, tool: tool, arguments: arguments),
            !rt.alwaysApproved.covers(request)
        {
            let decision = await approval.decide(request)
            ModuleAudit.recordDecision(decision, request: request, module: name, database: registry.database, bus: bus)
            runtime(name).alwaysApproved.remember(decision, for: request)
            if !decision.granted {
                releaseProbe(rt, admission)
                let e = ModuleHostError.notApproved(module: name, tool: tool)
                record(name, tool, start, "rejected", e.userMessage)
                throw e
            }
        }
        conn.inflight.add(1, ordering: .relaxed)
        defer { conn.inflight.subtract(1, ordering: .relaxed) }
        do {
            let result = try await conn.client.callTool(
                name: tool, arguments: arguments, timeout: options.callTimeoutSeconds, traceparent: traceparent)
            finish(rt, name, tool, start, success: true, outcome: result.isError ? "tool_error" : "ok", error: nil)
            return result
        } catch {
            if let e = error as? MCPError, e.isFatal { connectionLost(name, conn, e) }
            if (error as? MCPError)?.isTimeout == true { Task { await self.checkAlive(name, conn) } }
            finish(rt, name, tool, start, success: false, outcome: "error", error: error)
            throw error
        }
    }

    private func directRoute(_ namespaced: String) -> Route? {
        let parts = namespaced.split(separator: ToolNamespace.separator, maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let module = String(parts[0])
        let tool = String(parts[1])
        // A record that cannot be read routes nowhere: the call fails as an unknown tool, which the model is told.
        guard let r = try? registry.get(module), r.state == .enabled else { return nil }
        return Route(module: module, tool: tool)
    }

    private func releaseProbe(_ rt: ModuleRuntime, _ admission: CircuitBreaker.Admission) {
        // A probe that never reached the module proves nothing; let the next call probe.
        if admission == .probe { _ = rt.breaker.record(success: true, now: Self.now()) }
    }

    private func finish(
        _ rt: ModuleRuntime, _ name: String, _ tool: String, _ start: UInt64, success: Bool, outcome: String,
        error: (any Error)?, breakerCounts: Bool = true
    ) {
        let message = error.map {
            ModuleLimit.annotate(($0 as? any UserFacingError)?.userMessage ?? "\($0)", memoryMB: memoryLimit(name))
        }
        if breakerCounts {
            let t = rt.breaker.record(success: success, now: Self.now(), error: message)
            publish(name, t)
            if let t {
                saving("module health") { try registry.setHealth(name, t.to, lastError: success ? nil : message) }
            }
        }
        if success { rt.crashes = 0 }
        record(name, tool, start, outcome, message)
        scheduleIdle(rt)
    }

    private func record(_ name: String, _ tool: String, _ start: UInt64, _ outcome: String, _ error: String?) {
        saving("module call statistics") {
            try registry.recordCall(
                module: name, tool: tool, latencyMs: MonotonicClock.millisSince(start), outcome: outcome, error: error)
        }
    }

    func publish(_ module: String, _ t: CircuitBreaker.Transition?) {
        guard let t else { return }
        bus.publish(turn: 0, .moduleHealth(module: module, health: t.to, reason: t.reason))
    }

    func publishState(_ module: String, _ state: String) {
        bus.publish(turn: 0, .moduleState(module: module, state: state))
    }

    private func sensitiveRequest(_ m: ModuleManifest, tool: String, arguments: JSONValue) -> ApprovalRequest {
        approvalCounter += 1
        // The arguments whole: a face that shortens them says how much it left out (issue 12 item 10).
        return ApprovalRequest(
            id: "tool-\(m.name)-\(approvalCounter)", kind: .sensitiveTool, title: "Run \(tool) from module \(m.name)?",
            details: [
                .init("module", m.name), .init("tool", tool), .init("arguments", arguments.serialized),
                .init("network", HostRule.approvalText(m.networkAllow)),
            ], tool: tool)
    }
}
