import NexusCore
import Testing

/// Every field of the config model has a key in nexus.toml: a field added to NexusConfig without a key
/// (and so without a line in nexus.toml.example, which ConfigLoaderTests checks) fails here.
@Suite struct ConfigCoverageTests {
    func keys(under prefix: String) -> [String] {
        ConfigDecoder.allKeyPaths.filter { $0.hasPrefix(prefix) }
    }

    func fieldCount(_ value: Any) -> Int { Mirror(reflecting: value).children.count }

    @Test func everyProviderFieldHasAKey() {
        // `name` is the table name, not a key.
        #expect(fieldCount(ProviderConfig(name: "x", kind: .openai)) == keys(under: "providers.*.").count + 1)
    }

    @Test func everySectionFieldHasAKey() {
        #expect(fieldCount(ConversationConfig()) == keys(under: "conversation.").count)
        #expect(fieldCount(ClassifierConfig()) == keys(under: "classifier.").count)
        #expect(fieldCount(ModulesConfig()) == keys(under: "modules.").count)
        #expect(fieldCount(UIConfig()) == keys(under: "ui.").count)
        #expect(fieldCount(ServerConfig()) == keys(under: "server.").count)
        #expect(fieldCount(TelemetryConfig()) == keys(under: "telemetry.").count)
        #expect(fieldCount(BudgetConfig()) == keys(under: "budget.").count)
        #expect(fieldCount(Pricing(inputPerMTok: 0, outputPerMTok: 0)) == keys(under: "pricing.*.").count)
        // exec, validate, integration (two keys each) and allow_degraded.
        #expect(fieldCount(SandboxConfig()) == 4)
        #expect(fieldCount(SandboxConfig.Limits(timeoutSeconds: 1, memoryMB: 1)) == keys(under: "sandbox.exec.").count)
        #expect(keys(under: "sandbox.").count == 3 * 2 + 1)
    }

    @Test func everyTopLevelFieldHasASection() {
        // taskTiers and taskKeywords share [tasks]; the rest map one to one.
        #expect(fieldCount(NexusConfig()) == ConfigDecoder.sections.count + 1)
    }
}
