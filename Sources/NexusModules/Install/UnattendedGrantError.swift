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
    /// The manifest came from a build (a model wrote it): nobody typed any grant, and none is approved.
    public var built = false

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
        built
            ? "module \(module): its built manifest \(warning); a built module is given no host path"
            : "module \(module): its manifest \(warning); --yes does not approve that"
    }
    public var hint: String? {
        built
            ? "nothing was installed; to grant it knowingly, install the build's folder yourself: "
                + "nexus modules install FOLDER \(flag) \(path)"
            : "install without --yes and read the approval, or grant it yourself: \(flag) \(path)"
    }
    public var exitCode: ExitStatus { .usage }
}
