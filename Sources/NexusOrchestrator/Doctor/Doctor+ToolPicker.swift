import NexusCore
import NexusLLM
import NexusStore

/// The tool picker's line in `nexus doctor`: which mode is active (lexical, or hybrid lexical + semantic),
/// and why not hybrid when `[embeddings]` is configured but its endpoint does not answer.
extension Doctor {
    public static func toolPickerCheck(_ ctx: NexusContext) async -> DoctorCheck {
        let config = ctx.config.embeddings
        guard
            let semantic = SemanticToolRanking.make(
                config: config, environment: ctx.environment, database: ctx.database)
        else {
            return DoctorCheck(.ok, "tool picker", "lexical (no [embeddings] url: semantic ranking off)")
        }
        // A count for the line only: an unreadable table shows as 0 stored, and the database line says why.
        let stored = (try? semantic.store?.count(model: config.model)) ?? 0
        do {
            let v = try await semantic.client.embed(["nexus doctor"], timeout: 3)
            let dims = v.first?.count ?? 0
            return DoctorCheck(
                .ok, "tool picker",
                "hybrid: lexical + \(config.model) via \(config.url) (\(dims) dimensions, \(stored) tool vectors stored)"
            )
        } catch {
            return DoctorCheck(
                .warn, "tool picker", "lexical: \(error.userMessage)",
                fix: "start the embedding server (e.g. scripts/minilm-embed.py serve) or fix [embeddings] in nexus.toml"
            )
        }
    }
}
