import NexusCore
import NexusEvolution

/// Why a build ended without a module: its attempts ran out. Carries the last error, where every
/// attempt's files are, and what to try next, plainly when the model is the small local default.
struct BuildFailure: UserFacingError {
    let buildID: String
    let folder: String
    let attempts: [BuildAttempt]

    var userMessage: String {
        let last = attempts.last
        let plural = attempts.count == 1 ? "" : "s"
        let error = (last?.error ?? "no attempt was made").split(separator: "\n").prefix(6).joined(separator: "\n  ")
        return """
            build \(buildID) failed after \(attempts.count) attempt\(plural); nothing was installed.
              last error (\(last?.failedCheck ?? "?"), \(last?.failureCategory ?? "?")): \(error)
              the files of every attempt are in \(folder)
            """
    }

    var hint: String? {
        let models = Set(attempts.map(\.model))
        if models == [OpenAPIBuildModel.label] {
            // No model wrote it: a stronger one would change nothing.
            return "see every attempt with: nexus modules builds \(buildID); the module is generated from the spec, "
                + "so check the spec and the server it names, then build again"
        }
        if models.contains(where: { $0.lowercased().contains("smollm") }) {
            return "the local default model (SmolLM2) is too small to write a working module; route code generation "
                + "to a stronger model and build again: /model code_generation PROVIDER:MODEL "
                + "(e.g. anthropic:claude-sonnet-4-5, or a local qwen2.5-coder)"
        }
        return "see every attempt with: nexus modules builds \(buildID); a stronger model may do better: "
            + "/model code_generation PROVIDER:MODEL"
    }

    var exitCode: ExitStatus { .failure }
}
