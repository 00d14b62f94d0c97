import NexusCore
import Testing

@testable import NexusLLM

@Suite struct PricingTableTests {
    @Test func builtInPriceCostsAKnownCloudCall() {
        let q = PricingTable().quote(
            provider: "anthropic", model: "claude-sonnet-4-5", isLocal: false, tokensIn: 1_000_000, tokensOut: 100_000)
        #expect(q.priced)
        #expect(abs(q.costUSD - 4.5) < 1e-9)
        #expect(q.label == "$4.50")
    }

    @Test func datedSnapshotsAndVendorPrefixesFindTheirFamily() {
        let t = PricingTable()
        #expect(
            t.pricing(provider: "anthropic", model: "claude-sonnet-4-5-20250929")
                == Pricing(inputPerMTok: 3, outputPerMTok: 15))
        #expect(
            t.pricing(provider: "openai", model: "gpt-4o-mini-2024-07-18")
                == Pricing(inputPerMTok: 0.15, outputPerMTok: 0.6))
        #expect(
            t.pricing(provider: "openai", model: "gpt-4o-2024-08-06") == Pricing(inputPerMTok: 2.5, outputPerMTok: 10))
        #expect(
            t.pricing(provider: "openrouter", model: "openai/gpt-4.1-mini")
                == Pricing(inputPerMTok: 0.4, outputPerMTok: 1.6))
        #expect(t.pricing(provider: "x", model: "gpt-4") == nil)
    }

    @Test func configurationOverridesTheBuiltInPrice() {
        var config = NexusConfig()
        config.pricing["anthropic:claude-sonnet-4-5"] = Pricing(inputPerMTok: 1, outputPerMTok: 2)
        let q = PricingTable(config: config).quote(
            provider: "anthropic", model: "claude-sonnet-4-5", isLocal: false, tokensIn: 2_000_000, tokensOut: 1_000_000
        )
        #expect(abs(q.costUSD - 4.0) < 1e-9)
    }

    @Test func localModelsAreFreeAndSaySo() {
        let q = PricingTable().quote(
            provider: "local", model: "qwen2.5-coder:3b", isLocal: true, tokensIn: 5000, tokensOut: 5000)
        #expect(q.costUSD == 0)
        #expect(q.isLocal)
        #expect(q.label == "local, free")
    }

    @Test func unknownCloudModelIsUnpricedNotFree() {
        let q = PricingTable().quote(
            provider: "vendor", model: "mystery-9", isLocal: false, tokensIn: 5000, tokensOut: 5000)
        #expect(q.costUSD == 0)
        #expect(!q.priced)
        #expect(q.label == "unpriced")
    }

    @Test func smallCostsShowFourDecimals() {
        let q = PricingTable().quote(
            provider: "openai", model: "gpt-4o-mini", isLocal: false, tokensIn: 10_000, tokensOut: 1_000)
        #expect(q.label == "$0.0021")
    }
}
