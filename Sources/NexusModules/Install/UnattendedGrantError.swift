import NexusCore

/// An install approved in advance (`--yes`, `/modules install ... --yes`) of a module whose manifest asks
/// for a grant `StartupPaths` flags, a path the person did not type on the command line: nobody would read
/// the approval's warning, so nexus refuses and says how to look at it or give the grant knowingly.
public struct UnattendedGrantError: UserFacingError, Equatable {
    public var module: String
    /// The approval's warning line for the grant.
    public var warning: String
    /// `--read` or `--write`: the flag that grants the path knowingly.
    public var flag: String
    public var path: String

    public init(module: String, warning: String, flag: String, path: String) {
        self.module = module
        self.warning = warning
        self.flag = flag
        self.path = path
    }

    /// The first flagged grant of `manifest` that is not in `typed` (what the person gave on the command line).
    public static func first(in manifest: ModuleManifest, typed: InstallSettings) -> UnattendedGrantError? {
        let asked = manifest.filesystem.read.map { ($0, false) } + manifest.filesystem.write.map { ($0, true) }
        for (path, write) in asked where !(write ? typed.write : typed.read).contains(path) {
            if let w = StartupPaths.warning(path, write: write) {
                return UnattendedGrantError(
                    module: manifest.name, warning: w, flag: write ? "--write" : "--read", path: path)
            }
        }
        return nil
    }

    public var userMessage: String {
        "module \(module): its manifest \(warning); --yes does not approve that"
    }
    public var hint: String? {
        "install without --yes and read the approval, or grant it yourself: \(flag) \(path)"
    }
    public var exitCode: ExitStatus { .usage }
}
