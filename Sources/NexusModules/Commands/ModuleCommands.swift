import NexusCore
import NexusStore

/// `nexus modules ...` and `/modules ...` in one place, so the command line and the chat's slash
/// command print the same text and do the same thing.
public struct ModuleCommands: Sendable {
    public let host: ModuleHost
    public let installer: ModuleInstaller
    /// Paths no filesystem grant may name (nil: only the launcher's own checks apply).
    public let protected: ProtectedPaths?

    public init(host: ModuleHost, installer: ModuleInstaller, protected: ProtectedPaths? = nil) {
        self.host = host
        self.installer = installer
        self.protected = protected
    }

    /// Builds the host and installer over a nexus home. `redact` (the vault's redactor in a session)
    /// scrubs what modules write to their logs and what the registry stores about them.
    public static func open(
        database: Database, bus: EventBus, modulesDirectory: String, logsDirectory: String, builtinDirectory: String?,
        idleShutdownSeconds: Double = 300, callTimeoutSeconds: Double = 30,
        launcher: any ModuleLauncher = DirectLauncher(),
        credentials: CredentialProvider? = nil, redact: @escaping @Sendable (String) -> String = { $0 },
        protected: ProtectedPaths? = nil,
        scrubber: (any SecretScrubber)? = nil, maxFolderMB: Int = 32
    ) -> ModuleCommands {
        let registry = ModuleRegistry(database: database, redact: redact, scrubber: scrubber)
        let options = ModuleHost.Options(
            modulesDirectory: modulesDirectory, builtinDirectory: builtinDirectory, logsDirectory: logsDirectory,
            idleShutdownSeconds: idleShutdownSeconds, callTimeoutSeconds: callTimeoutSeconds)
        let host = ModuleHost(
            registry: registry, bus: bus, launcher: launcher, credentials: credentials, options: options)
        let installer = ModuleInstaller(
            registry: registry, modulesDirectory: modulesDirectory,
            runtimeHelper: ModuleInstaller.runtimeHelper(builtinDirectory: builtinDirectory), maxFolderMB: maxFolderMB)
        return ModuleCommands(host: host, installer: installer, protected: protected)
    }

    public static let usage =
        "usage: modules list|info NAME|install PATH|mcp ...|enable NAME|disable NAME|remove NAME|rollback NAME|test NAME|reload NAME"

    /// The slash command: `/modules list`, `/modules reload time`, ...
    /// `afterInstall` runs between a successful install and its start check (the chat asks for the
    /// module's credentials there, as the command line does); its text is shown after the install's.
    public func execute(
        _ args: [String], approval: any ApprovalHandler, workingDirectory: String = "/",
        afterInstall: (@Sendable (InstallReport) async -> String)? = nil
    ) async -> (text: String, status: ExitStatus) {
        let verb = args.first ?? "list"
        let name = args.dropFirst().first
        do {
            switch (verb, name) {
            case ("list", _): return (await list(), .success)
            case ("info", let n?): return (try await info(n), .success)
            case ("install", _?):
                let request = try InstallRequest(
                    try InstallRequest.parse(Array(args.dropFirst())), workingDirectory: workingDirectory)
                let report = try await install(request, approval: request.approved ? AlwaysApprove() : approval)
                var text = report.text
                if let afterInstall { text += await afterInstall(report) }
                do {
                    text += "\n" + (try await checkStarts(report.module))
                } catch {
                    let status = (error as? any UserFacingError)?.exitCode ?? .failure
                    return (text + "\n" + error.userFacingDescription, status)
                }
                return (text, .success)
            case ("enable", let n?): return (try await enable(n), .success)
            case ("disable", let n?): return (try await disable(n), .success)
            case ("remove", let n?), ("rm", let n?), ("uninstall", let n?): return (try await remove(n), .success)
            case ("rollback", let n?): return (try await rollback(n), .success)
            case ("reload", let n?): return (try await reload(n), .success)
            case ("test", let n?):
                let (text, ok) = try await test(n)
                return (text, ok ? .success : .failure)
            default: return (Self.usage, .usage)
            }
        } catch {
            let status = (error as? any UserFacingError)?.exitCode ?? .failure
            return (error.userFacingDescription, status)
        }
    }

    public func list() async -> String {
        // An interrupted install that cannot be settled now stays journaled; the next command settles it.
        _ = try? installer.recover()
        await host.discoverBuiltins()
        let rows = await host.statusRows()
        var lines: [String] = []
        if rows.isEmpty {
            lines.append("no modules installed (install one with: nexus modules install PATH)")
        } else {
            lines.append(pad(["NAME", "CATEGORY", "VERSION", "STATE", "HEALTH", "CALLS", "ERR%", "P50"]))
            var cut = false
            for r in rows {
                lines.append(
                    pad([
                        r.name, r.category, r.version, r.state.rawValue, r.health.rawValue, "\(r.calls)",
                        "\(Int((r.errorRate * 100).rounded()))", r.p50Ms.map { Self.ms($0) } ?? "-",
                    ]))
                // On a line of its own under the row: as a last column it started at column 71, so at 80 columns
                // every error wrapped back to column 0 through the table. A longer one ends in "…", and
                // `modules info NAME` has it whole.
                if let e = r.lastError {
                    let shown = Self.oneLine(e, limit: 160)
                    cut = cut || shown.hasSuffix("…") || e.contains("\n")
                    lines.append("    last error: " + shown)
                }
            }
            if cut { lines.append("(a last error cut short is whole in: nexus modules info NAME)") }
        }
        for p in await host.discoveryProblems { lines.append("warning: \(p)") }
        return lines.joined(separator: "\n")
    }

    public func info(_ name: String) async throws -> String {
        await host.discoverBuiltins()
        guard let r = try installer.registry.get(name) else { throw ModuleHostError.notInstalled(name) }
        let status = await host.statusRows().first { $0.name == name }
        var lines = [
            "name: \(r.name)", "category: \(r.category)", "version: \(r.version) (v\(r.seq))",
            "state: \(r.state.rawValue)",
            "health: \((status?.health ?? r.health).rawValue)",
            // A removed module's folder was moved away: its old path would point at nothing (or a newer install).
            r.state != .archived
                ? "path: \(r.path)"
                : r.isBuiltin
                    ? "path: none (removed: a built-in, whose files stay in \(r.path))"
                    : "path: none (removed: its files are archived under \(installer.modulesDirectory)/.archive)",
            "source: \(r.source)",
            "sha256: \(r.sha256)",
            "created by: \(r.createdBy ?? "-")", "calls: \(r.calls), failures: \(r.failures)",
            "p50: \(status?.p50Ms.map { Self.ms($0) } ?? "-"), error rate: \(Int(((status?.errorRate ?? 0) * 100).rounded()))%",
        ]
        if let e = r.lastError { lines.append("last error: \(e)") }
        // Extra detail: a folder whose manifest no longer loads still shows its registry row above.
        if let m = try? ModuleManifest.load(folder: r.path) {
            lines.append("command: \(m.runtime.command.joined(separator: " "))")
            lines.append("network: \(m.networkAllow.isEmpty ? "none" : m.networkAllow.joined(separator: ", "))")
            if !m.credentials.isEmpty {
                lines.append("credentials: \(m.credentials.map { "\($0.name) (\($0.env))" }.joined(separator: ", "))")
            }
            for d in m.runTimeDetails { lines.append("\(d.label): \(d.value)") }
            if let rate = m.rateLimitPerMinute { lines.append("rate limit: \(rate)/min") }
            if !m.sensitiveTools.isEmpty { lines.append("asks before: \(m.sensitiveTools.joined(separator: ", "))") }
        }
        lines += try versionLines(r)
        if let tools = r.tools {
            lines.append("tools:")
            let names = tools.map { ToolNamespace.name(module: name, tool: $0.name) }
            let width = names.map(\.count).max() ?? 0
            // A description's own lines (an MCP server may send paragraphs) continue under its column.
            let under = "\n" + String(repeating: " ", count: width + 4)
            for (n, t) in zip(names, tools) {
                let text = t.description.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter {
                    !$0.isEmpty
                }
                lines.append("  \(n.padded(to: width))  \(text.joined(separator: under))")
            }
        } else {
            lines.append("tools: not listed yet (listed on first use)")
        }
        return lines.joined(separator: "\n")
    }

    public func install(_ source: ModuleInstaller.Source, approval: any ApprovalHandler) async throws -> String {
        try await install(InstallRequest(source: source), approval: approval).text
    }

    /// Validates, refuses protected filesystem grants, asks for approval and installs. The module is not
    /// started here: `checkStarts` does that once its credentials are in place.
    public func install(_ request: InstallRequest, approval: any ApprovalHandler) async throws -> InstallReport {
        let plan = try installer.prepare(request.source, settings: request.settings)
        let m = plan.manifest
        do { try checkGrants(m, typed: request.settings, unattended: request.approved) } catch {
            installer.discard(plan)
            throw error
        }
        let record = try await installer.install(plan, approval: approval)
        await host.invalidateCatalogue()
        if await host.isRunning(record.name) { try await host.reload(record.name) }
        let verb = plan.previous == nil ? "installed" : plan.isReinstall ? "reinstalled" : "upgraded"
        let same = plan.isReinstall ? ", the same files as before" : ""
        return InstallReport(
            text: "\(verb) \(record.name) \(record.version) at \(record.path) (sha256 \(record.sha256)\(same))",
            module: record.name, credentials: m.credentials)
    }

    /// The grant checks every install path runs before its approval (`modules install`, and a build's
    /// install): a protected path (the home, the vault) is refused; a start-up or credential path the
    /// person did not type (`typed`) is refused when nobody reads the approval's warning (`unattended`).
    public func checkGrants(_ m: ModuleManifest, typed: InstallSettings, unattended: Bool, built: Bool = false) throws {
        if let protected {
            for p in m.filesystem.read + m.filesystem.write {
                if let why = protected.problem(p) { throw GrantError(module: m.name, path: p, reason: why) }
            }
        }
        if unattended, var refused = UnattendedGrantError.first(in: m, typed: typed) {
            refused.built = built
            throw refused
        }
    }

    /// The handshake after an install: starts the module (initialize + tools/list) and stops it again.
    /// A module that cannot start is reported at once with its last stderr lines and the way out; one that
    /// only lacks a declared credential is installed and told the `nexus creds set` command (not a failure).
    public func checkStarts(_ name: String) async throws -> String {
        do {
            let tools = try await host.start(name)
            await host.stop(name)
            let names = tools.prefix(8).map(\.name).joined(separator: ", ")
            let more = tools.count > 8 ? ", …" : ""
            let listed = tools.isEmpty ? "" : " (\(names)\(more))"
            return "started: \(tools.count) tool\(tools.count == 1 ? "" : "s")\(listed)"
        } catch let error as any MissingCredentialError {
            await host.stop(name)
            guard let missing = error.missingCredential else {
                // A vault refusal (credentials given to other files, a locked vault) has its own way out.
                throw InstallCheckError(module: name, reason: Self.reason(error), log: logPath(name), next: error.hint)
            }
            return "installed; it needs its credentials before it starts: nexus creds set \(name) \(missing.name)"
        } catch {
            await host.stop(name)
            throw InstallCheckError(module: name, reason: Self.reason(error), log: logPath(name))
        }
    }

    /// The module's log file as a full path (nil when this host keeps no logs).
    func logPath(_ name: String) -> String? { host.options.logsDirectory.map { $0 + "/modules/" + name + ".log" } }

    /// Why a start failed, without the failure's own hint: `InstallCheckError` gives the one way out.
    static func reason(_ error: any Error) -> String {
        (error as? any UserFacingError)?.userMessage ?? error.userFacingDescription
    }

    /// Enabling an enabled module still clears its crash count and circuit (a way to retry one that failed).
    public func enable(_ name: String) async throws -> String {
        let was = try installer.registry.get(name)?.state
        try await host.enable(name)
        return was == .enabled ? "\(name) was already enabled; its failure count is cleared" : "enabled \(name)"
    }

    public func disable(_ name: String) async throws -> String {
        let was = try installer.registry.get(name)?.state
        try await host.disable(name)
        return was == .disabled ? "\(name) was already disabled" : "disabled \(name)"
    }

    public func remove(_ name: String) async throws -> String {
        let record = try installer.registry.get(name)
        try await host.disable(name)
        try installer.remove(name)
        await host.invalidateCatalogue()
        // A built-in's files are nexus's own and stay where they are: nothing was archived.
        if let r = record, r.isBuiltin {
            return "removed \(name) (a built-in: its files stay in \(r.path); bring it back with: "
                + "nexus modules install \(r.path))"
        }
        return "removed \(name) (archived under \(installer.modulesDirectory)/.archive)"
    }

    public func rollback(_ name: String) async throws -> String {
        let r = try installer.rollback(name)
        await host.invalidateCatalogue()
        if await host.isRunning(name) { try await host.reload(name) }
        return "rolled \(name) back to \(r.version) (v\(r.seq))"
    }

    public func reload(_ name: String) async throws -> String {
        try await host.reload(name)
        return "reloaded \(name)"
    }

    /// Runs the module's test file, then starts it and lists its tools (the health check).
    public func test(_ name: String) async throws -> (String, Bool) {
        await host.discoverBuiltins()
        guard let r = try installer.registry.get(name), r.state != .archived else {
            throw ModuleHostError.notInstalled(name)
        }
        // A disabled module cannot start, so its health check would fail after its test file ran: say so first.
        guard r.state == .enabled else { throw ModuleHostError.notEnabled(module: name, state: r.state.rawValue) }
        let manifest = try ModuleManifest.load(folder: r.path)
        var lines: [String] = []
        var ok = true
        if manifest.testFile != nil {
            let outcome = try ModuleTestRunner.run(
                module: name, folder: r.path, approvedSHA256: r.sha256, modulesDirectory: installer.modulesDirectory,
                manifest: manifest, launcher: host.launcher)
            lines.append(
                "test_file \(manifest.testFile ?? ""): \(outcome.passed ? "passed" : "FAILED") (\(outcome.status))")
            if !outcome.passed {
                lines.append(outcome.output.split(separator: "\n").suffix(20).joined(separator: "\n"))
            }
            ok = outcome.passed
        }
        do {
            let tools = try await host.start(name)
            let ping = try await host.ping(name)
            lines.append(
                "health check: started, \(tools.count) tool\(tools.count == 1 ? "" : "s"), ping \(Self.ms(ping))")
            if ok, let live = await liveTest(name, manifest: manifest) {
                lines.append(live.line)
                ok = live.passed
            }
        } catch {
            ok = false
            lines.append("health check: FAILED: \(error.userFacingDescription)")
        }
        await host.stop(name)
        return (lines.joined(separator: "\n"), ok)
    }

    static func ms(_ v: Double) -> String { v < 10 ? "\((v * 10).rounded() / 10) ms" : "\(Int(v.rounded())) ms" }

    /// A module's error text as one line of at most `limit` characters: its own line breaks and runs of spaces
    /// become one space, and a cut ends in "…".
    static func oneLine(_ text: String, limit: Int) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").cut(to: limit)
    }

    private func pad(_ cols: [String]) -> String {
        let widths = [14, 10, 9, 9, 9, 6, 5, 0]
        return zip(cols, widths).map { c, w in
            w == 0 ? c : c.count >= w ? c + " " : c.padded(to: w)
        }.joined()
    }
}

/// What an install did, for the text shown and the credential prompt that follows it.
public struct InstallReport: Sendable {
    public var text: String
    public var module: String
    /// The credentials the module's manifest declares (asked for after the install).
    public var credentials: [ModuleManifest.Credential]
}

/// An installed module that does not start: the failing handshake with its stderr tail, and what to do.
public struct InstallCheckError: UserFacingError, Equatable {
    public var module: String
    public var reason: String
    /// The module's log file, in full: a path relative to the nexus home is no path a person can open.
    public var log: String?
    /// The failure's own way out when it is not the module's (the vault's `nexus creds bind NAME`).
    public var next: String?
    public init(module: String, reason: String, log: String? = nil, next: String? = nil) {
        self.module = module
        self.reason = reason
        self.log = log
        self.next = next
    }
    public var userMessage: String { "installed \(module), but it does not start: \(reason)" }
    public var hint: String? {
        if let next { return next + "; then run: nexus modules test \(module)" }
        return "see \(log ?? "the module's log"); fix the command or its grants, then run: "
            + "nexus modules test \(module) "
            + "(or remove it: nexus modules remove \(module))"
    }
}

extension InstallRequest {
    /// A request for `source` with no install flags, asking for approval.
    public init(source: ModuleInstaller.Source) {
        self.init(resolved: source, settings: InstallSettings(), approved: false)
    }
}

/// `--yes` inside the chat: the person approved by typing it.
struct AlwaysApprove: ApprovalHandler {
    func decide(_ request: ApprovalRequest) async -> ApprovalDecision { .yes }
}
