import NexusCore
import NexusPOSIX
import NexusStore

/// Installs, upgrades, rolls back and archives modules under `$NEXUS_HOME/modules/<category>/<name>/`.
///
/// Every change is staged beside the live folder, recorded in the registry's journal, swapped in with one
/// atomic directory exchange and then committed to the registry in one transaction. A crash (even
/// `kill -9`) at any point leaves either the old or the new version complete on disk; `recover()` (run
/// before each operation and by the host) finishes or undoes what the journal says was under way.
public struct ModuleInstaller: Sendable {
    public let registry: ModuleRegistry
    public let modulesDirectory: String
    /// `templates/python/nexus_adapter.py`: copied beside a Python module that imports it but does not
    /// carry it, so the installed module runs outside the repository. Nil to copy nothing.
    public let runtimeHelper: String?
    /// Earlier approved versions, outside every module folder (`$NEXUS_HOME/module-versions`).
    public let versionStore: ModuleVersionStore
    /// `[modules] max_folder_mb`: a source folder holding more is refused before anything is copied.
    public let maxFolderMB: Int

    public init(registry: ModuleRegistry, modulesDirectory: String, runtimeHelper: String? = nil, maxFolderMB: Int = 32)
    {
        self.registry = registry
        self.modulesDirectory = modulesDirectory
        self.runtimeHelper = runtimeHelper
        self.versionStore = ModuleVersionStore(modulesDirectory: modulesDirectory)
        self.maxFolderMB = maxFolderMB
    }

    /// The runtime helper next to a built-in modules folder (`<repo>/modules` → `<repo>/templates/python`).
    public static func runtimeHelper(builtinDirectory: String?) -> String? {
        guard let b = builtinDirectory, let slash = b.lastIndex(of: "/") else { return nil }
        let path = String(b[..<slash]) + "/templates/python/nexus_adapter.py"
        return FileSystem.kind(of: path) == .file ? path : nil
    }

    /// Where a module comes from.
    public enum Source: Sendable, Equatable {
        case folder(String)
        /// Any MCP server command (`python3 -m mcp_server_time`): nexus writes its manifest.
        case mcpCommand(
            name: String, command: [String], category: String, version: String, networkAllow: [String],
            credentialEnvs: [String])
    }

    /// A validated install, ready to be shown for approval and committed.
    public struct Plan: Sendable {
        public var manifest: ModuleManifest
        public var sha256: String
        public var folder: String
        public var source: String
        public var previous: ModuleRecord?
        /// The installed module has exactly these files: installing again is a reinstall, not an upgrade.
        public var isReinstall: Bool { previous?.sha256 == sha256 }
        /// A folder nexus wrote (for MCP commands), removed after the install.
        var scratch: String?
    }

    public func target(category: String, name: String) -> String { modulesDirectory + "/" + category + "/" + name }
    func staging(category: String, name: String) -> String {
        modulesDirectory + "/" + category + "/.nexus-staging-" + name
    }

    /// Validates the source, computes its digest and checks the name against the registry.
    public func prepare(_ source: Source, settings: InstallSettings = InstallSettings()) throws -> Plan {
        var folder: String
        var scratch: String?
        var sourceText: String
        switch source {
        case .folder(let path):
            guard FileSystem.kind(of: path + "/" + ModuleManifest.fileName) == .file else {
                throw InstallError.sourceMissing(path)
            }
            folder = ModuleFiles.realPath(path) ?? path
            sourceText = "folder:" + folder
            try checkSize(folder)
            if let withHelper = try addRuntimeHelper(folder) {
                folder = withHelper
                scratch = withHelper
            }
            if let withSettings = try applySettings(settings, folder: folder, scratch: scratch) {
                folder = withSettings
                scratch = withSettings
            }
        case .mcpCommand(let name, let command, let category, let version, let hosts, let envs):
            let dir = modulesDirectory + "/.nexus-tmp-\(ProcessControl.currentID)-\(MonotonicClock.nanoseconds())"
            try FileSystem.ensureDirectory(dir, mode: 0o700)
            let manifest: JSONValue = [
                "name": .string(name), "version": .string(version), "category": .string(category),
                "display_name": .string(name), "description": .string("MCP server: " + command.joined(separator: " ")),
                "runtime": ["protocol": "mcp-stdio", "command": .array(command.map { .string($0) })],
                "credentials": .array(envs.map { ["name": .string($0), "env": .string($0)] }),
                "network": ["allow": .array(hosts.map { .string($0) })], "created_by": "user",
            ]
            let text = settings.applied(to: manifest).pretty() + "\n"
            try FileSystem.writeAtomically(dir + "/" + ModuleManifest.fileName, text: text)
            folder = dir
            scratch = dir
            sourceText = "mcp:" + command.joined(separator: " ")
        }
        do {
            let manifest = try ModuleManifest.load(folder: folder)
            let digest = try ModuleFiles.digest(folder, scope: .withoutCaches)
            let previous = try registry.get(manifest.name).flatMap { $0.state == .archived ? nil : $0 }
            if let p = previous, p.category != manifest.category, !p.isBuiltin {
                throw InstallError.nameTaken(
                    name: manifest.name, existingCategory: p.category, newCategory: manifest.category)
            }
            return Plan(
                manifest: manifest, sha256: digest, folder: folder, source: sourceText, previous: previous,
                scratch: scratch)
        } catch {
            if let scratch { ModuleFiles.removeTree(scratch) }
            throw error
        }
    }

    /// Refuses a folder over `maxFolderMB` (caches left out, as they are not copied), naming its largest file.
    func checkSize(_ folder: String) throws(InstallError) {
        let size = ModuleFiles.size(folder, scope: .withoutCaches)
        guard size.bytes > maxFolderMB << 20 else { return }
        throw .folderTooLarge(
            folder: folder, bytes: size.bytes, largest: size.largest, largestBytes: size.largestBytes,
            limitMB: maxFolderMB)
    }

    /// A scratch copy of `folder` with `nexus_adapter.py` added, when its Python entry point imports the
    /// helper and does not carry it; nil when nothing needs adding.
    func addRuntimeHelper(_ folder: String) throws -> String? {
        guard let helper = runtimeHelper, FileSystem.kind(of: folder + "/nexus_adapter.py") == .missing,
            // Not an adapter-based Python module (or unreadable): nothing to add, the install goes on as is.
            let m = try? ModuleManifest.load(folder: folder), let ep = m.entryPoint, ep.hasSuffix(".py"),
            let text = try? FileSystem.readText(folder + "/" + ep, limit: 4 << 20), text.contains("nexus_adapter")
        else { return nil }
        let dir = modulesDirectory + "/.nexus-tmp-\(ProcessControl.currentID)-\(MonotonicClock.nanoseconds())"
        do {
            try ModuleFiles.copyTree(folder, to: dir, scope: .withoutCaches)
            try ModuleFiles.writeFile(dir + "/nexus_adapter.py", try FileSystem.read(helper), mode: 0o644)
        } catch {
            ModuleFiles.removeTree(dir)
            throw InstallError.copying(error)
        }
        return dir
    }

    /// What the person is asked before an install: name, command, network, credentials, sha256.
    public func approvalRequest(for plan: Plan) -> ApprovalRequest {
        let m = plan.manifest
        var details: [ApprovalRequest.Detail] = [
            .init("name", "\(m.name) \(m.version) (\(m.category))"),
            .init("source", plan.source),
            .init("command", m.runtime.command.joined(separator: " ")),
            .init("network", HostRule.approvalText(m.networkAllow)),
            .init(
                "credentials",
                m.credentials.isEmpty ? "none" : m.credentials.map { "\($0.name) (\($0.env))" }.joined(separator: ", ")),
            .init("sha256", plan.sha256),
        ]
        details.append(contentsOf: m.runTimeDetails)
        if !m.sensitiveTools.isEmpty { details.append(.init("asks before", m.sensitiveTools.joined(separator: ", "))) }
        if let p = plan.previous { details.append(.init("replaces", "\(p.version) (sha256 \(p.sha256.prefix(12))…)")) }
        let verb = plan.previous == nil ? "Install" : plan.isReinstall ? "Reinstall" : "Upgrade"
        return ApprovalRequest(
            id: "install-\(m.name)-\(plan.sha256.prefix(8))", kind: .moduleInstall, title: "\(verb) module \(m.name)?",
            details: details)
    }

    /// Asks for approval, then installs. Throws `InstallError.notApproved` on no.
    public func install(_ plan: Plan, approval: any ApprovalHandler) async throws -> ModuleRecord {
        let request = approvalRequest(for: plan)
        let decision = await approval.decide(request)
        ModuleAudit.recordDecision(
            decision, request: request, module: plan.manifest.name, database: registry.database, bus: nil)
        guard decision.granted else {
            discard(plan)
            throw InstallError.notApproved(name: plan.manifest.name)
        }
        return try commit(plan)
    }

    /// Drops a plan that will not be installed.
    public func discard(_ plan: Plan) {
        if let s = plan.scratch { ModuleFiles.removeTree(s) }
    }
}
