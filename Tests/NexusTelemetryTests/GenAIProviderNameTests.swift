import NexusCore
import Testing

@testable import NexusTelemetry

/// `gen_ai.provider.name` is the convention's well-known name, whatever the provider is called in nexus.toml;
/// the configured name travels as `nexus.provider`.
@Suite struct GenAIProviderNameTests {
    static func provider(_ name: String, _ kind: ProviderKind, _ url: String? = nil) -> ProviderConfig {
        var p = ProviderConfig(name: name, kind: kind)
        p.baseURL = url
        return p
    }

    @Test func eachKindAndWellKnownHostGetsTheConventionsName() {
        let table = GenAIProviderName.table([
            Self.provider("work", .anthropic), Self.provider("g", .gemini), Self.provider("home", .ollama),
            Self.provider("oa", .openai), Self.provider("oa2", .openai, "https://api.openai.com/v1"),
            Self.provider("az", .openai, "https://team.openai.azure.com/openai"),
            Self.provider("fast", .openai, "https://api.groq.com/openai/v1"),
            Self.provider("local", .openai, "http://127.0.0.1:8080/v1"),
            Self.provider("evil", .openai, "https://api.openai.com.evil.example/v1"),
        ])
        #expect(table["work"] == "anthropic" && table["g"] == "gcp.gemini" && table["home"] == "ollama")
        #expect(table["oa"] == "openai" && table["oa2"] == "openai" && table["az"] == "azure.ai.openai")
        #expect(table["fast"] == "groq")
        #expect(table["local"] == "local", "a compatible server the convention does not name keeps its name")
        #expect(table["evil"] == "evil", "a host that only starts like a known one is not that service")
    }

    @Test func aChatSpanCarriesTheConventionNameAndTheConfiguredOne() throws {
        var b = SpanBuilder(
            identity: SpanBuilderTests.identity, offsetNs: 1_700_000_000_000_000_000,
            providerNames: ["anthropic": "anthropic-convention"])
        let spans = SpanBuilderTests.turnEvents().flatMap { b.consume($0) }
        let chat = try #require(spans.first { $0.name.hasPrefix("chat ") })
        #expect(chat.attribute("gen_ai.provider.name") == .string("anthropic-convention"))
        #expect(chat.attribute("nexus.provider") == .string("anthropic"))
    }
}

extension GenAIProviderNameTests {
    @Test func theGenAIMetricsUseTheConventionNameAndNexusOwnSeriesTheConfiguredOne() async {
        let text = await EventMetricsRecorderTests.render(
            [EventMetricsRecorderTests.call(provider: "work")],
            recorder: EventMetricsRecorder(providerNames: ["work": "anthropic"]))
        #expect(
            text.contains(
                #"gen_ai_client_token_usage_count{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic","#))
        #expect(text.contains(#"nexus_llm_requests_total{provider="work","#))
    }
}
