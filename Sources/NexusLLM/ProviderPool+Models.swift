import NexusCore

/// What one provider serves, for `/models`, `nexus models` and the status pane's reachability dot.
public struct ProviderModels: Sendable, Equatable {
    public var provider: String
    public var isLocal: Bool
    /// Models the server listed; when it could not be asked, the ones the configuration names.
    public var models: [String]
    /// True when the server answered the listing request.
    public var reachable: Bool
    /// Why it could not be asked (one line), when it could not.
    public var error: String?
}

extension ProviderPool {
    /// Asks every provider for its models, all at once; unreachable ones report their error and fall
    /// back to the configured list.
    public func listAllModels() async -> [ProviderModels] {
        let configured = configuredModels
        return await withTaskGroup(of: (Int, ProviderModels).self) { group in
            for (i, p) in providers.enumerated() {
                group.addTask {
                    do {
                        let models = try await p.listModels()
                        return (i, ProviderModels(provider: p.name, isLocal: p.isLocal, models: models, reachable: true, error: nil))
                    } catch {
                        return (
                            i,
                            ProviderModels(
                                provider: p.name, isLocal: p.isLocal, models: configured[p.name] ?? [], reachable: false,
                                error: error.userFacingDescription.split(separator: "\n").first.map(String.init))
                        )
                    }
                }
            }
            var out: [(Int, ProviderModels)] = []
            for await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    var configuredModels: [String: [String]] {
        var out: [String: [String]] = [:]
        for p in providers {
            switch p {
            case let o as OpenAIProvider: out[p.name] = o.endpoint.configuredModels
            case let a as AnthropicProvider: out[p.name] = a.endpoint.configuredModels
            case let g as GeminiProvider: out[p.name] = g.endpoint.configuredModels
            case let l as OllamaProvider: out[p.name] = l.endpoint.configuredModels
            default: break
            }
        }
        return out
    }
}
