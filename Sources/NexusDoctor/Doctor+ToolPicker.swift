import NexusCore
import NexusOrchestrator

/// The tool picker's line in `nexus doctor`: which mode is active (lexical, or hybrid lexical + semantic),
/// and why not hybrid when `[embeddings]` is configured but its endpoint does not answer.
extension Doctor {
    public static func toolPickerCheck(_ ctx: NexusContext) async -> DoctorCheck {
        switch await ToolPickerProbe.run(ctx) {
        case .lexicalOnly:
            return DoctorCheck(.ok, "tool picker", "lexical (no [embeddings] url: semantic ranking off)")
        case .hybrid(let model, let url, let dims, let stored):
            return DoctorCheck(
                .ok, "tool picker",
                "hybrid: lexical + \(model) via \(url) (\(dims) dimensions, \(stored) tool vectors stored)")
        case .unreachable(let reason):
            return DoctorCheck(
                .warn, "tool picker", "lexical: \(reason)",
                fix: "start the embedding server (e.g. scripts/minilm-embed.py serve) or fix [embeddings] in nexus.toml"
            )
        }
    }
}
