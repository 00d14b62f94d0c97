import NexusModules
import NexusPOSIX
import NexusStore

/// Where templates/python (runtime helper + gate runner) lives: `NEXUS_TEMPLATES` when set, else beside
/// the built-in modules, the way the module launcher finds the runtime helper.
public enum GateTemplates {
    public static func locate(environment: [String: String]) -> String? {
        if let t = environment["NEXUS_TEMPLATES"], !t.isEmpty { return t }
        guard let builtins = BuiltinModules.locate(environment: environment),
            let slash = builtins.lastIndex(of: "/")
        else { return nil }
        let dir = String(builtins[..<slash]) + "/templates/python"
        return FileSystem.kind(of: dir + "/gate") == .directory ? dir : nil
    }
}
