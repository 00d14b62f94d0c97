import NexusPOSIX
import NexusStore

/// A module's command as it runs beside its data directory: the working directory is the data
/// directory, so relative paths that name files of the module folder (`python3 adapter.py`,
/// `./run.sh`, `--config config.json`) are anchored to the folder, which is /workspace in the jail.
enum ModuleCommandLine {
    /// Where the module folder is mounted in the jail.
    static let jailFolder = "/workspace"

    /// `command` with each relative word that names an existing entry of `folder` made absolute under
    /// `anchor` (the jail's /workspace, or the folder itself for a direct launch).
    static func anchored(_ command: [String], folder: String, anchor: String = jailFolder) -> [String] {
        command.enumerated().map { i, word in
            guard !word.isEmpty, !word.hasPrefix("/"), !word.hasPrefix("-") else { return word }
            // A bare program name is looked up on PATH, not in the folder.
            if i == 0 && !word.contains("/") { return word }
            var relative = Substring(word)
            while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
            guard !relative.isEmpty, !relative.split(separator: "/").contains(".."),
                FileSystem.kind(of: folder + "/" + relative) != .missing
            else { return word }
            return anchor + "/" + relative
        }
    }

    /// A relative program in a `bin` directory of the folder (`.venv/bin/python`): that directory in the
    /// jail, for PATH.
    static func folderBin(_ command: [String]) -> String? {
        guard let program = command.first, !program.hasPrefix("/"), program.contains("/") else { return nil }
        let dir = RuntimeMounts.parent(program)
        return dir.hasSuffix("bin") ? jailFolder + "/" + (dir.hasPrefix("./") ? String(dir.dropFirst(2)) : dir) : nil
    }
}
