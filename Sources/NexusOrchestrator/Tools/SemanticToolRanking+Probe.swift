import NexusCore
import NexusLLM
import NexusPOSIX

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
        /// Nothing answers at the loopback URL yet, and the installed local embedder will be started there on the
        /// first turn that needs it (lexical until it answers).
        case startsOnDemand(url: String, directory: String)
    }

    public static func run(_ ctx: NexusContext) async -> Result {
        let config = ctx.config.embeddings
        guard
            let semantic = SemanticToolRanking.make(
                config: config, environment: ctx.environment, database: ctx.database)
        else { return .lexicalOnly }
        if let launcher = EmbedderLauncher(home: ctx.paths.home, url: config.url), launcher.installed,
            !TCPProbe.isListening(host: launcher.host, port: launcher.port)
        {
            return .startsOnDemand(url: config.url, directory: launcher.directory)
        }
        do {
            let answer = try await semantic.client.embedAnswer(["nexus doctor"], timeout: 3)
            // Stored vectors are keyed by the model the server names, as the picker keys them.
            let model = answer.model.flatMap { $0.isEmpty ? nil : $0 } ?? config.model
            // A count that cannot be read shows as 0 stored vectors; the probe is what the line is about.
            let stored = (try? semantic.store?.count(model: model)) ?? 0
            return .hybrid(
                model: model, url: config.url, dimensions: answer.vectors.first?.count ?? 0, storedVectors: stored)
        } catch {
            return .unreachable(reason: error.userFacingDescription)
        }
    }
}
