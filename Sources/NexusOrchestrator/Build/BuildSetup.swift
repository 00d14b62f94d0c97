import NexusCore
import NexusEvolution
import NexusModules
import NexusVault
import Synchronization

/// What a session hands the orchestrator so it can build modules: the installer and host, the gate,
/// where the templates and the builds live, and how to reach the vault. The composition root fills it;
/// without it `/build` says building is unavailable and a `build_module` turn is answered as chat.
public struct BuildSetup: Sendable {
    public var modules: ModuleCommands
    /// Runs the gate on an attempt's folder (`ModuleGate.run`).
    public var gate: @Sendable (String) async throws -> GateReport
    /// `templates/python`, or nil when it cannot be found.
    public var templatesDirectory: String?
    /// `$NEXUS_HOME/builds`.
    public var buildsDirectory: String
    /// Opens (and on first use creates) the vault, to store the credentials a built module asks for.
    public var openVault: @Sendable () throws -> CredentialStore
    /// Module commands whose processes get their credentials from `store`, for the live test.
    public var liveModules: @Sendable (_ store: CredentialStore?) -> ModuleCommands
    /// Reads the template a build writes from, given `templates/python` (the adopted evolved version, `nexus
    /// evolve`); nil: the folder as it is.
    public var loadTemplate: (@Sendable (String) throws -> BuildTemplate)?

    public init(
        modules: ModuleCommands, gate: @escaping @Sendable (String) async throws -> GateReport,
        templatesDirectory: String?, buildsDirectory: String,
        openVault: @escaping @Sendable () throws -> CredentialStore,
        liveModules: @escaping @Sendable (CredentialStore?) -> ModuleCommands
    ) {
        self.modules = modules
        self.gate = gate
        self.templatesDirectory = templatesDirectory
        self.buildsDirectory = buildsDirectory
        self.openVault = openVault
        self.liveModules = liveModules
    }
}

/// The orchestrator's build setup, set once when the session registers `/build`.
final class BuildSlot: Sendable {
    private let value = Mutex<BuildSetup?>(nil)
    var setup: BuildSetup? { value.withLock { $0 } }
    func set(_ s: BuildSetup) { value.withLock { $0 = s } }
}
