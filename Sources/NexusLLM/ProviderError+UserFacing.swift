import NexusCore

/// Provider failures reach faces as one line plus the next step (DESIGN §2.6).
extension ProviderError: UserFacingError {
    public var userMessage: String { "\(provider): \(message)" }

    public var hint: String? {
        switch kind {
        case .unauthorized(let env?): "set \(env) to a valid API key (export \(env)=...)"
        case .unauthorized(nil): "set api_key_env for this provider in nexus.toml"
        case .unknownModel(let available) where !available.isEmpty:
            "pick one of: \(available.prefix(10).joined(separator: ", ")) (nexus models lists them)"
        case .unknownModel: "check the model name in [routing]; nexus models lists what each provider serves"
        case .rateLimited: "wait a moment, or add a fallback model to the task's chain in [routing]"
        case .timeout, .connection: "check that the server is running and reachable (nexus doctor)"
        case .streamCut: "ask again; the partial answer above is incomplete"
        case .server: "the provider is having trouble; retry later or add a fallback model in [routing]"
        case .badRequest(status: 0): "check base_url in [providers.\(provider)]"
        case .refused: "privacy = \"local-only\" allows only local providers"
        default: nil
        }
    }

    public var exitCode: ExitStatus {
        switch kind {
        case .badRequest(status: 0), .refused: .usage
        default: .failure
        }
    }
}
