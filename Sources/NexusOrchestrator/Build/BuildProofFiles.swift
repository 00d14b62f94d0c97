import NexusCore
import NexusEvolution
import NexusPOSIX
import NexusStore

/// The files a build's proof names, read from the attempt folder for faces that show them (the TUI's
/// proof overlay: `v` views a file, `d` the diff). Paths are the proof's own, checked again here; each
/// file is read at most 256 KB.
public enum BuildProofFiles {
    public struct File: Sendable, Equatable {
        public var path: String
        public var content: String
    }

    public static func load(_ proof: JSONValue) -> (files: [File], diff: String) {
        guard let folder = proof["folder"]?.stringValue else { return ([], "") }
        var files: [File] = []
        for f in proof["files"]?.arrayValue ?? [] {
            guard let path = f["path"]?.stringValue, BuildReplyParser.pathProblem(path) == nil else { continue }
            let text =
                // Says "(could not read …)" in the proof instead.
                (try? FileSystem.readText(folder + "/" + path, limit: BuildFileSet.Limits.fileBytes))
                ?? "(could not read \(folder)/\(path))"
            files.append(File(path: path, content: text))
        }
        if let upgrade = proof["upgrade_diff"]?.stringValue {
            return (files, "against the installed version:\n" + (upgrade.isEmpty ? "(no change)" : upgrade))
        }
        // No .diff file: there was no repair.
        let repair = (try? FileSystem.readText(folder + ".diff", limit: 4 << 20)).map {
            "the last repair changed:\n" + $0
        }
        return (files, "a new module: no installed version to compare with.\n" + (repair ?? ""))
    }
}
