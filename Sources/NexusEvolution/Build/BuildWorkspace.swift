import NexusCore
import NexusPOSIX
import NexusStore

/// Where one build keeps its attempts: `$NEXUS_HOME/builds/<id>/attempt-N/`, each the full file set the
/// model sent for that attempt (and its diff against the one before). Nothing outside this folder is
/// written before approval; the installer copies the approved attempt from here.
public struct BuildWorkspace: Sendable {
    public let id: String
    public let root: String

    /// Creates a fresh, private folder for a new build under `buildsDirectory`.
    public static func create(buildsDirectory: String) throws -> BuildWorkspace {
        try FileSystem.ensureDirectory(buildsDirectory, mode: 0o700)
        for _ in 0..<8 {
            let id = newID()
            let root = buildsDirectory + "/" + id
            guard FileSystem.kind(of: root) == .missing else { continue }
            try FileSystem.ensureDirectory(root, mode: 0o700)
            return BuildWorkspace(id: id, root: root)
        }
        throw NexusError("\(buildsDirectory): could not create a new build folder")
    }

    public init(id: String, root: String) {
        self.id = id
        self.root = root
    }

    public func attemptFolder(_ n: Int) -> String { root + "/attempt-\(n)" }

    /// Writes attempt `n`'s files (paths already checked by `BuildReplyParser`) into a new folder.
    @discardableResult
    public func write(attempt n: Int, files: BuildFileSet, diff: FileSetDiff?) throws -> String {
        let folder = attemptFolder(n)
        guard FileSystem.kind(of: folder) == .missing else { throw FileSystemError.notADirectory(folder) }
        try FileSystem.ensureDirectory(folder, mode: 0o755)
        for f in files.files {
            guard BuildReplyParser.pathProblem(f.path) == nil else { continue }
            if let slash = f.path.lastIndex(of: "/") {
                try FileSystem.ensureDirectory(folder + "/" + f.path[..<slash], mode: 0o755)
            }
            try FileSystem.writeAtomically(folder + "/" + f.path, text: f.content, mode: 0o644)
        }
        if let diff, !diff.text.isEmpty {
            try FileSystem.writeAtomically(root + "/attempt-\(n).diff", text: diff.text, mode: 0o600)
        }
        if !files.notes.isEmpty {
            try FileSystem.writeAtomically(root + "/attempt-\(n).notes", text: files.notes, mode: 0o600)
        }
        return folder
    }

    /// Keeps the raw reply of an attempt whose reply was refused, so the user can see what came back.
    public func keepRefusedReply(attempt n: Int, text: String) throws {
        let bounded = text.utf8.count > 1 << 20 ? String(text.utf8.prefix(1 << 20)) ?? "" : text
        try FileSystem.writeAtomically(root + "/attempt-\(n).reply.txt", text: bounded, mode: 0o600)
    }

    static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        return String((0..<8).map { _ in hex[Int(rng.next() % 16)] })
    }
}
