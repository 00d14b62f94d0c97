import NexusCore

/// Why the host would not (or could not) run a module's tool, naming the module and the next step.
public enum ModuleHostError: UserFacingError, Equatable {
    case unknownTool(String)
    case notInstalled(String)
    case notEnabled(module: String, state: String)
    case filesChanged(module: String, path: String, approved: String, found: String)
    case circuitOpen(module: String, retryIn: Double)
    case rateLimited(module: String, perMinute: Int, retryIn: Double)
    case restartBackoff(module: String, lastError: String, retryIn: Double)
    case notApproved(module: String, tool: String)
    case nothingToRollBack(module: String)

    public var userMessage: String {
        switch self {
        case .unknownTool(let t): "no module tool named \(t)"
        case .notInstalled(let m): "module \(m): not installed"
        case .notEnabled(let m, let s): "module \(m): is \(s)"
        case .filesChanged(let m, let p, let a, let f):
            "module \(m): files in \(p) changed since they were approved (sha256 \(a.prefix(12))…, now \(f.prefix(12))…)"
        case .circuitOpen(let m, let r): "module \(m): failing, calls paused for \(Self.secs(r)) (circuit open)"
        case .rateLimited(let m, let n, let r):
            "module \(m): over its rate limit of \(n) calls per minute; next slot in \(Self.secs(r))"
        case .restartBackoff(let m, let e, let r): "module \(m): crashed (\(e)); restarting in \(Self.secs(r))"
        case .notApproved(let m, let t): "module \(m): call to sensitive tool \(t) was not approved"
        case .nothingToRollBack(let m): "module \(m): no earlier approved version to roll back to"
        }
    }

    public var hint: String? {
        switch self {
        case .unknownTool: "list tools with: nexus modules info NAME"
        case .notInstalled: "see the installed ones: nexus modules list (install one: nexus modules install PATH)"
        case .notEnabled(let m, _): "enable it with: nexus modules enable \(m)"
        case .filesChanged(let m, let p, _, _):
            "review the files, then approve them with: nexus modules install \(p)"
                + " (or roll back: nexus modules rollback \(m))"
        case .circuitOpen(let m, _), .restartBackoff(let m, _, _): "see: nexus modules info \(m)"
        default: nil
        }
    }

    public var exitCode: ExitStatus {
        switch self {
        case .notApproved: .approvalNeeded
        case .notInstalled, .unknownTool: .usage
        default: .failure
        }
    }

    static func secs(_ s: Double) -> String { s < 1 ? "\(Int((s * 1000).rounded())) ms" : "\(Int(s.rounded(.up))) s" }
}
