import NexusCore
import NexusEvolution
import NexusModules

/// A build that stopped on an error of its own rather than running out of attempts: no model for
/// `code_generation`, a model server that dropped the connection mid-reply, a store that cannot be written.
/// The error alone reads like a chat turn's ("ask again; the partial answer above is incomplete"); this says
/// which build stopped, at which attempt, that nothing was installed, and where its record is.
struct BuildInterrupted: UserFacingError {
    let buildID: String
    /// Attempts that finished before the error.
    let attempts: Int
    /// Whether the last of them passed (the error came after the proof: approval, install, credentials).
    let proven: Bool
    let underlying: any Error

    var userMessage: String {
        let reason = (underlying as? any UserFacingError)?.userMessage ?? underlying.userFacingDescription
        let when =
            proven
            ? "after its module was proven"
            : attempts == 0
                ? "before its first attempt" : "during attempt \(attempts + 1)"
        return "build \(buildID) stopped \(when); nothing was installed: \(reason)"
    }

    var hint: String? {
        let own = (underlying as? any UserFacingError)?.hint
        // A chat turn's advice about a cut answer means nothing here: the build has no answer to show.
        let usable = own.flatMap { $0.contains("partial answer") ? nil : $0 }
        return (usable.map { $0 + "; " } ?? "") + "the build's record: nexus modules builds \(buildID)"
    }

    var exitCode: ExitStatus { (underlying as? any UserFacingError)?.exitCode ?? .failure }

    /// `error` as the build's end: unchanged when it already says so (attempts ran out, a denial, a
    /// cancellation) or no build was started yet.
    static func wrap(_ error: any Error, buildID: String?, attempts: [BuildAttempt]) -> any Error {
        guard let buildID, !(error is BuildFailure), !(error is InstallError), !(error is CancellationError)
        else { return error }
        return BuildInterrupted(
            buildID: buildID, attempts: attempts.count, proven: attempts.last?.passed == true, underlying: error)
    }
}
