import NexusCore

/// The LLM client pool: one provider per `[providers.NAME]`, built once from the configuration, and the
/// way from a task's `[routing]` chain (`provider:model` refs) to a `FailoverRunner` chain.
///
/// Privacy mode is enforced here, where chains are built: with `privacy = "local-only"` every
/// non-local entry is left out, and a chain with nothing local left is refused with a message that
/// says why.
public struct ProviderPool: Sendable {
    public let providers: [any LLMProvider]
    /// Providers that could not be built (bad base_url …), one line each, for `nexus doctor`.
    public let problems: [String]
    let policies: [String: RetryPolicy]
    let privacy: PrivacyMode

    public init(config: NexusConfig, environment: [String: String], http: HTTPClient = HTTPClient()) {
        var built: [any LLMProvider] = []
        var problems: [String] = []
        var policies: [String: RetryPolicy] = [:]
        for pc in config.providers {
            do {
                built.append(try ProviderFactory.make(config: pc, environment: environment, http: http))
                policies[pc.name] = RetryPolicy(config: pc)
            } catch {
                problems.append(error.userFacingDescription)
            }
        }
        self.providers = built
        self.problems = problems
        self.policies = policies
        self.privacy = config.privacy
    }

    /// A pool over ready-made providers (tests, embedding).
    public init(providers: [any LLMProvider], retryPolicy: RetryPolicy = RetryPolicy(), privacy: PrivacyMode = .open) {
        self.providers = providers
        self.problems = []
        self.policies = Dictionary(providers.map { ($0.name, retryPolicy) }, uniquingKeysWith: { a, _ in a })
        self.privacy = privacy
    }

    public func provider(named name: String) -> (any LLMProvider)? {
        providers.first { $0.name == name }
    }

    /// The failover chain for routing refs. Unknown provider names are configuration errors; in
    /// local-only mode cloud entries are dropped, and an all-cloud chain is refused.
    public func chain(for refs: [ModelRef]) throws -> [FailoverCandidate] {
        var out: [FailoverCandidate] = []
        for ref in refs {
            guard let p = provider(named: ref.provider) else {
                let known = providers.map(\.name).joined(separator: ", ")
                throw NexusError(
                    "routing: '\(ref)' names provider '\(ref.provider)', which is not configured",
                    hint: known.isEmpty ? "add a [providers.\(ref.provider)] section" : "configured providers: \(known)", exit: .usage)
            }
            if privacy == .localOnly && !p.isLocal { continue }
            out.append(FailoverCandidate(provider: p, model: ref.model, retryPolicy: policies[p.name] ?? RetryPolicy()))
        }
        if out.isEmpty {
            let list = refs.map(\.description).joined(separator: ", ")
            throw ProviderError(
                .refused, provider: refs.first?.provider ?? "routing",
                message: privacy == .localOnly
                    ? "privacy = \"local-only\" and no model in [\(list)] is local"
                    : "no model is configured for this task")
        }
        return out
    }
}
