import NexusCore
import NexusPOSIX
import NexusStore

/// Starting, stopping, crashing, idling and reloading module processes.
extension ModuleHost {
    /// The module's live connection, starting the process if needed (load → register → health-check).
    func connection(for name: String) async throws -> ModuleConnection {
        let rt = runtime(name)
        if let c = rt.connection, !c.client.isClosed { return c }
        if let starting = rt.starting { return try await starting.value }
        if rt.crashes > 0 {
            let wait = rt.restartAt - Self.now()
            if wait > 2 {
                throw ModuleHostError.restartBackoff(module: name, lastError: rt.lastCrash ?? "unknown", retryIn: wait)
            }
            if wait > 0 { try await Task.sleep(nanoseconds: Seconds.nanoseconds(wait)) }
        }
        guard let record = try registry.get(name), record.state != .archived else {
            throw ModuleHostError.notInstalled(name)
        }
        guard record.state == .enabled else {
            throw ModuleHostError.notEnabled(module: name, state: record.state.rawValue)
        }
        let id = nextConnectionID
        nextConnectionID += 1
        let task = Task { try await Self.start(record: record, id: id, host: self) }
        rt.starting = task
        defer { rt.starting = nil }
        do {
            let conn = try await task.value
            if let old = rt.connection, old !== conn { Task { await old.retire(maxWait: options.callTimeoutSeconds) } }
            rt.connection = conn
            rt.memoryMB = conn.manifest.limits.memoryMB ?? launcher.defaultMemoryMB
            registered(name, conn)
            // A change announced before the connection was in place is taken up now.
            Task { await self.relist(name, conn) }
            scheduleIdle(rt)
            return conn
        } catch let error as any MissingCredentialError where error.missingCredential != nil {
            // Not a broken module, one waiting for its credential: it is tried again once the credential is
            // stored (the catalogue skips only failing modules), and never started without it.
            let message = error.userMessage + (error.hint.map { "; set it with: \($0)" } ?? "")
            if let wanted = error.missingCredential, wanted.module == name { waitingForCredential[name] = wanted.name }
            saving("module health") { try registry.setHealth(name, .unknown, lastError: message) }
            bus.publish(turn: 0, .moduleHealth(module: name, health: .unknown, reason: message))
            throw error
        } catch {
            let message = ModuleLimit.annotate(
                (error as? any UserFacingError)?.userMessage ?? "\(error)",
                memoryMB: manifestMemory(name) ?? launcher.defaultMemoryMB)
            saving("module health") { try registry.setHealth(name, .failing, lastError: message) }
            bus.publish(turn: 0, .moduleHealth(module: name, health: .failing, reason: message))
            if error is MCPError || error is LaunchError { noteCrash(rt, message) }
            throw error
        }
    }

    /// load → launch → handshake → tools/list. Runs off the actor; everything it needs is passed in.
    static func start(record: ModuleRecord, id: Int, host: ModuleHost) async throws -> ModuleConnection {
        let manifest = try ModuleManifest.load(folder: record.path)
        try ModulePin.verify(
            module: record.name, folder: record.path, approved: record.sha256,
            modulesDirectory: host.options.modulesDirectory)
        var env: [String: String] = [:]
        if !manifest.credentials.isEmpty, let provide = host.credentials {
            env = try await provide(record.name, manifest.credentials.map { (name: $0.name, env: $0.env) })
        }
        for (k, v) in manifest.env where env[k] == nil { env[k] = v }
        let data = dataDirectory(modulesDirectory: host.options.modulesDirectory, module: record.name)
        try ModuleDataDirectory.prepare(data, installedAt: record.installedAt)
        let spec = LaunchSpec(
            module: record.name, command: manifest.runtime.command, workingDirectory: record.path, environment: env,
            networkAllow: manifest.networkAllow, dataDirectory: data, readPaths: manifest.filesystem.read,
            writePaths: manifest.filesystem.write, memoryMB: manifest.limits.memoryMB,
            cpuSeconds: manifest.limits.cpuSeconds)
        let log = ModuleLog(
            path: host.options.logsDirectory.map { $0 + "/modules/" + record.name + ".log" },
            redact: host.registry.redact, scrubber: host.registry.scrubber)
        log.note("starting \(manifest.runtime.command.joined(separator: " ")) (version \(manifest.version))")
        let client = try await MCPClient.connect(module: record.name, log: log, limits: host.options.limits) {
            try host.launcher.launch(spec)
        }
        let tools: [MCPTool]
        do {
            tools = try await listUniqueTools(client)
        } catch {
            client.close()
            throw error
        }
        let name = record.name
        client.setNoticeHandler { [weak host] notice in
            Task { await host?.notice(name, connectionID: id, notice) }
        }
        if let closed = client.closedReason {
            throw closed
        }
        return ModuleConnection(id: id, client: client, manifest: manifest, tools: tools)
    }

    /// `$NEXUS_HOME/module-data/<name>`: the one place a module may write, kept across restarts and
    /// upgrades, outside its (read-only) folder.
    public static func dataDirectory(modulesDirectory: String, module: String) -> String {
        RuntimeMounts.parent(modulesDirectory) + "/module-data/" + module
    }

    /// The memory limit the module's manifest sets, read from its installed folder (nil: none set).
    func manifestMemory(_ name: String) -> Int? {
        // Reads only: no record or manifest means no limit of its own (the launcher's default applies).
        guard let r = try? registry.get(name) else { return nil }
        return (try? ModuleManifest.load(folder: r.path))?.limits.memoryMB
    }

    /// The memory limit the module's process runs under (its manifest's, else the launcher's).
    func memoryLimit(_ name: String) -> Int? {
        runtimes[name]?.memoryMB ?? manifestMemory(name) ?? launcher.defaultMemoryMB
    }

    /// register: the tool list goes into the registry's cache and the catalogue.
    func registered(_ name: String, _ conn: ModuleConnection) {
        waitingForCredential[name] = nil
        // A read that fails compares as "changed": the cache is written again, and that write reports.
        let record = try? registry.get(name)
        if record?.tools != conn.tools {
            saving("tool list of \(name)") { try registry.cacheTools(name, conn.tools) }
            routes = nil
        }
        // health-check passed (handshake + tools/list): a module not known to be failing is healthy.
        let health = runtime(name).breaker.health
        if let record, record.health != health, record.health == .unknown || record.health == .failing {
            saving("module health") { try registry.setHealth(name, health, lastError: nil) }
            bus.publish(turn: 0, .moduleHealth(module: name, health: health, reason: "health check passed"))
        }
        publishState(name, "serving")
    }

    /// `tools/list` without repeated names: what a connection holds, the registry caches and the
    /// catalogue offers is always this one list.
    static func listUniqueTools(_ client: MCPClient) async throws -> [MCPTool] {
        dedupe(try await client.listTools(), module: client.module, log: client.log)
    }

    /// Drops tools whose name repeats within one module (the first wins) and logs it.
    static func dedupe(_ tools: [MCPTool], module: String, log: ModuleLog) -> [MCPTool] {
        // Names are not checked yet (`MCPTool.nameProblem` comes later): hashed as bytes, a name of one letter and a
        // megabyte of combining marks costs linear time, not the minutes `String`'s hash spends on it.
        var seen: Set<ExactText> = []
        var out: [MCPTool] = []
        for t in tools {
            if seen.insert(ExactText(t.name)).inserted {
                out.append(t)
            } else {
                log.note("tools/list: duplicate tool name \(t.name) ignored")
            }
        }
        return out
    }

    func notice(_ name: String, connectionID: Int, _ notice: MCPNotice) async {
        guard let rt = runtimes[name], let conn = rt.connection, conn.id == connectionID else { return }
        switch notice {
        case .toolsListChanged:
            await relist(name, conn)
        case .closed(let e):
            connectionLost(name, conn, e)
        }
    }

    /// Lists the tools again while the server keeps saying they changed: one `tools/list` at a time per
    /// connection, however many notifications arrive (a running loop picks up the ones that came
    /// meanwhile). The catalogue changes, and is announced, only when the list really did.
    func relist(_ name: String, _ conn: ModuleConnection) async {
        guard conn.relisting.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            return
        }
        defer { conn.relisting.store(false, ordering: .relaxed) }
        while runtimes[name]?.connection === conn, conn.client.takeListChanged() {
            // A tools/list that fails keeps the cached list; the next list_changed asks again.
            guard let tools = try? await Self.listUniqueTools(conn.client) else { continue }
            // A read that fails compares as "changed": the cache is written again, and that write reports.
            guard (try? registry.get(name))?.tools != tools else { continue }
            saving("tool list of \(name)") { try registry.cacheTools(name, tools) }
            routes = nil
            publishState(name, "tools changed")
        }
    }

    /// The process went away. On purpose (idle, disable, reload): nothing to do. Otherwise a crash:
    /// the next call restarts it after a back-off.
    func connectionLost(_ name: String, _ conn: ModuleConnection, _ error: MCPError) {
        guard let rt = runtimes[name], rt.connection === conn else { return }
        rt.connection = nil
        if conn.retiring.load(ordering: .relaxed) { return }
        let message = ModuleLimit.annotate(error.userMessage, memoryMB: rt.memoryMB)
        noteCrash(rt, message)
        let health: ModuleHealth = rt.breaker.health == .healthy ? .degraded : rt.breaker.health
        saving("module health") { try registry.setHealth(name, health, lastError: message) }
        publishState(name, "crashed")
    }

    func noteCrash(_ rt: ModuleRuntime, _ message: String) {
        rt.crashes += 1
        rt.lastCrash = message
        let delay = min(options.restartBackoffMax, options.restartBackoffBase * Double(1 << min(rt.crashes - 1, 16)))
        rt.restartAt = Self.now() + delay
    }

    func scheduleIdle(_ rt: ModuleRuntime) {
        rt.idleTask?.cancel()
        rt.idleToken += 1
        let token = rt.idleToken
        let name = rt.name
        let seconds = options.idleShutdownSeconds
        rt.idleTask = Task { [weak self] in
            // Task.sleep throws only on cancellation, which the caller checks next.
            try? await Task.sleep(nanoseconds: Seconds.nanoseconds(seconds))
            if Task.isCancelled { return }
            await self?.idleExpired(name, token: token)
        }
    }

    func idleExpired(_ name: String, token: Int) async {
        guard let rt = runtimes[name], rt.idleToken == token, let conn = rt.connection else { return }
        if conn.inflight.load(ordering: .relaxed) > 0 {
            scheduleIdle(rt)
            return
        }
        rt.connection = nil
        conn.retiring.store(true, ordering: .relaxed)
        conn.client.close()
        publishState(name, "stopped (idle)")
    }

    /// Whether the module's process is running now.
    public func isRunning(_ name: String) -> Bool {
        guard let c = runtimes[name]?.connection else { return false }
        return !c.client.isClosed
    }

    /// The pid of the module's process, when running (for resource sampling and tests).
    public func processID(_ name: String) -> Int32? {
        guard let c = runtimes[name]?.connection, !c.client.isClosed else { return nil }
        return c.client.process.pid
    }

    /// Requests the module's running process has not answered yet (0 when not running).
    public func pendingRequests(_ name: String) -> Int {
        runtimes[name]?.connection?.client.pendingCount ?? 0
    }

    /// Starts the module now (for `nexus modules test`, health checks, benchmarks) and returns its tools.
    @discardableResult
    public func start(_ name: String) async throws -> [MCPTool] {
        try await connection(for: name).tools
    }

    /// After a timed-out call: a module that no longer answers `ping` is stuck, so its process is ended
    /// and the next call starts a fresh one.
    func checkAlive(_ name: String, _ conn: ModuleConnection) async {
        do {
            try await conn.client.ping(timeout: 2)
        } catch {
            guard let rt = runtimes[name], rt.connection === conn else { return }
            rt.connection = nil
            conn.retiring.store(true, ordering: .relaxed)
            conn.client.log.note("no answer to ping after a timed-out call: restarting")
            conn.client.close()
            publishState(name, "stopped (stuck)")
        }
    }

    /// health-check: an MCP `ping` to the running (or freshly started) module; returns its round trip in ms.
    public func ping(_ name: String) async throws -> Double {
        let conn = try await connection(for: name)
        let t = MonotonicClock.nanoseconds()
        try await conn.client.ping()
        return MonotonicClock.millisSince(t)
    }

    /// Hot reload: starts a process from the files now on disk, swaps it in, and ends the old one once
    /// its in-flight calls finished. Calls that arrive meanwhile go to whichever process is current.
    public func reload(_ name: String) async throws {
        guard let record = try registry.get(name), record.state == .enabled else {
            throw ModuleHostError.notEnabled(
                // Only wording for the error thrown here: an unreadable record reads as "not installed".
                module: name, state: (try? registry.get(name))??.state.rawValue ?? "not installed")
        }
        let rt = runtime(name)
        let id = nextConnectionID
        nextConnectionID += 1
        let conn = try await Self.start(record: record, id: id, host: self)
        let old = rt.connection
        rt.connection = conn
        rt.crashes = 0
        publish(name, rt.breaker.reset())
        registered(name, conn)
        routes = nil
        publishState(name, "reloaded")
        scheduleIdle(rt)
        if let old { Task { await old.retire(maxWait: options.callTimeoutSeconds + 1) } }
    }

    /// Ends the module's process (after its running calls) without changing its registry state.
    public func stop(_ name: String) async {
        guard let rt = runtimes[name] else { return }
        rt.idleTask?.cancel()
        if let c = rt.connection {
            rt.connection = nil
            await c.retire(maxWait: options.callTimeoutSeconds)
            publishState(name, "stopped")
        }
    }

    /// disable → unregister → unload: the row stays, the process ends, its tools leave the catalogue.
    public func disable(_ name: String) async throws {
        guard try registry.get(name) != nil else { throw ModuleHostError.notInstalled(name) }
        try registry.setState(name, .disabled)
        try registry.setHealth(name, .disabled, lastError: nil)
        routes = nil
        await stop(name)
        publishState(name, "disabled")
        bus.publish(turn: 0, .moduleHealth(module: name, health: .disabled, reason: "disabled"))
    }

    public func enable(_ name: String) throws {
        guard let r = try registry.get(name), r.state != .archived else { throw ModuleHostError.notInstalled(name) }
        try registry.setState(name, .enabled)
        try registry.setHealth(name, .unknown, lastError: nil)
        let rt = runtime(name)
        rt.crashes = 0
        _ = rt.breaker.reset()
        routes = nil
        publishState(name, "enabled")
    }

    /// Ends every module process (nexus is exiting).
    public func shutdownAll() async {
        for name in runtimes.keys { await stop(name) }
    }

    /// Forgets the catalogue so the next look-up rebuilds it from the registry (after installs).
    public func invalidateCatalogue() {
        routes = nil
    }
}
