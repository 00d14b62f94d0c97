import NexusCore

/// The places that never enter a module's sandbox, whatever a manifest or an install flag asks: the
/// user's home directory itself, nexus's home (database, vault, modules, logs) and nexus's config
/// directory (where the vault key lives). A grant inside the home directory (`~/projects/repo`, a
/// pyenv interpreter) is fine; the home directory, or anything containing one of these, is not.
///
/// Install uses it to refuse a grant at once with one line naming the path and why; the launcher uses
/// it again before every start, on the real (symlink-free) path, because a folder can change later.
public struct ProtectedPaths: Sendable, Equatable {
    public var userHome: String
    public var nexusHome: String
    public var configDirectory: String

    public init(userHome: String, nexusHome: String, configDirectory: String) {
        self.userHome = Self.trimmed(userHome)
        self.nexusHome = Self.trimmed(nexusHome)
        self.configDirectory = Self.trimmed(configDirectory)
    }

    /// Why `path` (absolute, symlinks resolved when it exists) may not be granted, nil when it may.
    public func problem(_ path: String) -> String? {
        let real = Self.trimmed(ModuleFiles.realPath(path) ?? path)
        if real == "/" { return "is the whole filesystem" }
        if real == userHome || userHome.hasPrefix(real + "/") {
            return "is the home directory itself (grant a folder inside it instead)"
        }
        let protected = [
            (nexusHome, "is nexus's home (database, vault, modules)"),
            (configDirectory, "holds nexus's config and vault key"),
        ]
        for (p, why) in protected where !p.isEmpty && p != "/" {
            if real == p || real.hasPrefix(p + "/") || p.hasPrefix(real + "/") {
                return real == p ? why : "overlaps \(p), which \(why)"
            }
        }
        return nil
    }

    private static func trimmed(_ s: String) -> String {
        var s = s
        while s.count > 1, s.hasSuffix("/") { s.removeLast() }
        return s
    }
}

/// A filesystem grant nexus refuses: one line naming the path and why.
public struct GrantError: UserFacingError, Equatable {
    public var module: String
    public var path: String
    public var reason: String

    public init(module: String, path: String, reason: String) {
        self.module = module
        self.path = path
        self.reason = reason
    }

    public var userMessage: String { "module \(module): cannot grant \(path): it \(reason)" }
    public var hint: String? { "grant a narrower folder or file (--read PATH / --write PATH, manifest filesystem)" }
    public var exitCode: ExitStatus { .usage }
}
