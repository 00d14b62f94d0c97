import NexusCore
import NexusLLM

/// What `nexus doctor` says of the tool picker: which ranking is active, probed once against the configured
/// embedding endpoint. Public so the doctor (its own target) reads it without reaching into the picker.
public enum ToolPickerProbe {
    public enum Result: Sendable, Equatable {
        /// No `[embeddings] url`: lexical ranking only.
        case lexicalOnly
        /// The endpoint answered: hybrid ranking with this model, its vector size and the stored tool vectors.
        case hybrid(model: String, url: String, dimensions: Int, storedVectors: Int)
        /// Configured, but the endpoint did not answer: lexical ranking, and why.
        case unreachable(reason: String)
    }

    public static func run(_ ctx: NexusContext) async -> Result {
        let config = ctx.config.embeddings
        guard
            let semantic = SemanticToolRanking.make(
                config: config, environment: ctx.environment, database: ctx.database)
        else { return .lexicalOnly }
        // A count that cannot be read shows as 0 stored vectors; the probe below is what the line is about.
        let stored = (try? semantic.store?.count(model: config.model)) ?? 0
        do {
            let v = try await semantic.client.embed(["nexus doctor"], timeout: 3)
            return .hybrid(model: config.model, url: config.url, dimensions: v.first?.count ?? 0, storedVectors: stored)
        } catch {
            return .unreachable(reason: error.userFacingDescription)
        }
    }
}
