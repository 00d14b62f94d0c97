import NexusCore

/// Everything that can stop a sandbox run before the command's own outcome exists.
public enum SandboxError: UserFacingError, Equatable, CustomStringConvertible {
    /// A flag or value that does not parse: (flag, what is wrong, next step).
    case badArgument(String, String, hint: String)
    /// The command could not be started inside the sandbox (not found, not executable).
    case commandNotRunnable(String, String)
    /// The machine cannot give the isolation the mode needs.
    case isolationUnavailable(String, hint: String)
    /// A setup step inside the jail failed (mounts, Landlock, seccomp...).
    case setupFailed(step: String, reason: String)
    /// A system call in the jailer itself failed.
    case system(String, String)

    public var userMessage: String {
        switch self {
        case .badArgument(let flag, let what, _): "sandbox \(flag): \(what)"
        case .commandNotRunnable(let cmd, let why): "sandbox: command \"\(cmd)\": \(why)"
        case .isolationUnavailable(let what, _): "sandbox: \(what)"
        case .setupFailed(let step, let reason): "sandbox: setting up \(step) failed: \(reason)"
        case .system(let call, let reason): "sandbox: \(call): \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .badArgument(_, _, let hint): hint
        case .commandNotRunnable: "check the command name and that it exists under /usr or the workspace"
        case .isolationUnavailable(_, let hint): hint
        case .setupFailed: "run `nexus sandbox probe` to see which layers this machine supports"
        case .system: nil
        }
    }

    public var exitCode: ExitStatus {
        switch self {
        case .badArgument, .isolationUnavailable: .usage
        default: .failure
        }
    }

    public var description: String { userMessage }
}
