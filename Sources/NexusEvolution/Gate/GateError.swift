import NexusCore

/// Why the gate itself could not run (as opposed to a module failing a check): a missing folder, no
/// runner scripts, a sandbox that cannot start. Thrown, never reported as a failed check.
public enum GateError: UserFacingError, Equatable {
    case noFolder(String)
    /// PATH is a file (often the manifest itself): the folder holding it is what the gate checks.
    case notAFolder(String)
    case noManifest(String)
    case noRunner(String)
    case sandboxUnavailable(String)
    case scratch(String)
    case cancelled

    public var userMessage: String {
        switch self {
        case .noFolder(let p): "modules validate: \(p): not a module folder (no such directory)"
        case .notAFolder(let p): "modules validate: \(p) is a file, not a module folder"
        case .noManifest(let p): "modules validate: \(p): no manifest.json in the folder"
        case .noRunner(let p): "gate: runner scripts not found at \(p)"
        case .sandboxUnavailable(let why): "gate: the sandbox cannot run the checks: \(why)"
        case .scratch(let why): "gate: cannot prepare the scratch copy: \(why)"
        case .cancelled: "gate: cancelled"
        }
    }

    public var hint: String? {
        switch self {
        case .noFolder, .noManifest: "pass a folder shaped like templates/python/module_template"
        case .notAFolder(let p):
            "pass the folder that holds it: nexus modules validate "
                + (p.lastIndex(of: "/").map { String(p[..<$0]) } ?? ".")
        case .noRunner: "run nexus from its repository or installed share/nexus (templates/python/gate)"
        case .sandboxUnavailable: "run `nexus sandbox probe` to see which layers this machine supports"
        case .scratch: "check that $TMPDIR (or /tmp) is writable and has space"
        case .cancelled: nil
        }
    }

    public var exitCode: ExitStatus {
        switch self {
        case .noFolder, .notAFolder, .noManifest: .usage
        default: .failure
        }
    }
}
