import NexusCore
import NexusOrchestrator

/// The tool picker's line in `nexus doctor`: which mode is active (lexical, or hybrid lexical + semantic),
/// and why not hybrid when `[embeddings]` is configured but its endpoint does not answer.
extension Doctor {
    public static func toolPickerCheck(_ ctx: NexusContext) async -> DoctorCheck {
        var check = await toolPickerMode(ctx)
        check.detail += usagePriorNote(ctx)
        return check
    }

    static func toolPickerMode(_ ctx: NexusContext) async -> DoctorCheck {
        switch await ToolPickerProbe.run(ctx) {
        case .lexicalOnly:
            return DoctorCheck(
                .ok, "tool picker",
                "lexical (no [embeddings] url: semantic ranking off; scripts/embedder.sh setup turns it on)")
        case .hybrid(let model, let url, let dims, let stored):
            return DoctorCheck(
                .ok, "tool picker",
                "hybrid: lexical + \(model) via \(url) (\(dims) dimensions, \(stored) tool vectors stored)")
        case .startsOnDemand(let url, let directory):
            return DoctorCheck(
                .ok, "tool picker",
                "lexical until the local embedder (\(directory)) answers at \(url): nexus starts it on first use")
        case .unreachable(let reason):
            return DoctorCheck(
                .warn, "tool picker", "lexical: \(reason)",
                fix: "scripts/embedder.sh setup installs the local embedder (nexus starts it for a loopback url), "
                    + "or start your embedding server, or fix [embeddings] in nexus.toml"
            )
        }
    }
}
