import NexusCore

/// What one call cost, and how sure we are: local models are free, unknown cloud models are shown as
/// unpriced rather than as a confident $0.
public struct PriceQuote: Sendable, Equatable {
    public var costUSD: Double
    /// False when no price is known for a cloud model (cost shown as 0, marked unpriced).
    public var priced: Bool
    /// The call ran on this machine: free.
    public var isLocal: Bool
    public var pricing: Pricing?

    /// "local, free", "$0.0042" or "unpriced" — what the cost pane and `/cost` show.
    public var label: String {
        if isLocal && pricing == nil { return "local, free" }
        if !priced { return "unpriced" }
        return PriceQuote.dollars(costUSD)
    }

    static func dollars(_ v: Double) -> String {
        Money.dollars(v, decimals: v < 0.01 ? 4 : 2)
    }
}

/// Prices per million tokens: built-in list prices for common models, overridden by
/// `[pricing."provider:model"]` in nexus.toml.
///
/// Model names are matched exactly, then by the longest built-in name they start with, so dated
/// snapshots (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`) and vendor-prefixed names
/// (`openai/gpt-4o-mini` on OpenRouter) find their family's price.
public struct PricingTable: Sendable {
    /// USD per million tokens, standard (non-batch, short-context) list prices.
    public static let builtIn: [String: Pricing] = [
        "claude-sonnet-4-5": Pricing(inputPerMTok: 3.0, outputPerMTok: 15.0),
        "claude-sonnet-4": Pricing(inputPerMTok: 3.0, outputPerMTok: 15.0),
        "claude-opus-4-1": Pricing(inputPerMTok: 15.0, outputPerMTok: 75.0),
        "claude-opus-4": Pricing(inputPerMTok: 15.0, outputPerMTok: 75.0),
        "claude-haiku-4-5": Pricing(inputPerMTok: 1.0, outputPerMTok: 5.0),
        "claude-3-5-haiku": Pricing(inputPerMTok: 0.8, outputPerMTok: 4.0),
        "gpt-4o": Pricing(inputPerMTok: 2.5, outputPerMTok: 10.0),
        "gpt-4o-mini": Pricing(inputPerMTok: 0.15, outputPerMTok: 0.6),
        "gpt-4.1": Pricing(inputPerMTok: 2.0, outputPerMTok: 8.0),
        "gpt-4.1-mini": Pricing(inputPerMTok: 0.4, outputPerMTok: 1.6),
        "gpt-4.1-nano": Pricing(inputPerMTok: 0.1, outputPerMTok: 0.4),
        "o3-mini": Pricing(inputPerMTok: 1.1, outputPerMTok: 4.4),
        "o4-mini": Pricing(inputPerMTok: 1.1, outputPerMTok: 4.4),
        "gemini-2.5-flash": Pricing(inputPerMTok: 0.3, outputPerMTok: 2.5),
        "gemini-2.5-flash-lite": Pricing(inputPerMTok: 0.1, outputPerMTok: 0.4),
        "gemini-2.5-pro": Pricing(inputPerMTok: 1.25, outputPerMTok: 10.0),
        "gemini-2.0-flash": Pricing(inputPerMTok: 0.1, outputPerMTok: 0.4),
    ]

    /// `provider:model` (or bare model) → price, from configuration.
    public var overrides: [String: Pricing]

    public init(overrides: [String: Pricing] = [:]) {
        self.overrides = overrides
    }

    public init(config: NexusConfig) {
        self.init(overrides: config.pricing)
    }

    /// The price for a model, or nil when neither configuration nor the built-in list knows it.
    public func pricing(provider: String, model: String) -> Pricing? {
        if let p = overrides["\(provider):\(model)"] ?? overrides[model] { return p }
        return PricingTable.builtInPrice(for: model)
    }

    /// The cost of one call. Local calls are free unless configuration prices them explicitly.
    public func quote(provider: String, model: String, isLocal: Bool, tokensIn: Int, tokensOut: Int) -> PriceQuote {
        if isLocal {
            if let p = overrides["\(provider):\(model)"] {
                return PriceQuote(
                    costUSD: p.cost(tokensIn: tokensIn, tokensOut: tokensOut), priced: true, isLocal: true, pricing: p)
            }
            return PriceQuote(costUSD: 0, priced: true, isLocal: true, pricing: nil)
        }
        guard let p = pricing(provider: provider, model: model) else {
            return PriceQuote(costUSD: 0, priced: false, isLocal: false, pricing: nil)
        }
        return PriceQuote(
            costUSD: p.cost(tokensIn: tokensIn, tokensOut: tokensOut), priced: true, isLocal: false, pricing: p)
    }

    static func builtInPrice(for model: String) -> Pricing? {
        var name = model.lowercased()
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        if let exact = builtIn[name] { return exact }
        // Longest family name the model starts with, at a separator boundary ("gpt-4o-2024…" but not "gpt-4o-mini" → "gpt-4o").
        var best: (String, Pricing)?
        for (family, price) in builtIn where name.hasPrefix(family + "-") || name.hasPrefix(family + "@") {
            if family.count > (best?.0.count ?? -1) { best = (family, price) }
        }
        return best?.1
    }
}
