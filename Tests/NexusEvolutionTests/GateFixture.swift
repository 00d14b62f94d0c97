import NexusCore
import NexusEvolution
import NexusModules
import NexusPOSIX
import NexusStore
import NexusTesting

#if canImport(Glibc)
    import Glibc
#endif

/// The real gate over the built binary (the jailer) and the repository's templates/python, with a
/// throw-away NEXUS home; and module folders copied from the template to break on purpose.
enum GateFixture {
    static var packageRoot: String {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir
    }

    static var binary: String {
        if let p = getenv("NEXUS_BINARY") { return String(cString: p) }
        return packageRoot + "/.build/debug/nexus"
    }

    static var templates: String { packageRoot + "/templates/python" }
    static var corpus: String { packageRoot + "/testdata/gate-corpus" }

    static func gate(home: TemporaryDirectory) -> ModuleGate {
        ModuleGate(nexusExecutable: binary, templatesDirectory: templates, home: home.path)
    }

    /// A copy of templates/python/module_template in `dir`, with `edit` applied to the named files.
    static func module(in dir: TemporaryDirectory, edits: [String: (String) -> String] = [:]) throws -> String {
        let folder = dir.path + "/module"
        try ModuleFiles.copyTree(templates + "/module_template", to: folder)
        for (file, edit) in edits {
            let path = folder + "/" + file
            let text = (try? FileSystem.readText(path)) ?? ""
            try FileSystem.writeAtomically(path, text: edit(text))
        }
        return folder
    }
}
