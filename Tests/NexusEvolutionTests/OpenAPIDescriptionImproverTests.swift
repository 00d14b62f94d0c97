import NexusCore
import Testing

@testable import NexusEvolution

/// The model's answer to "improve these descriptions" is hostile input (issue 15): what is kept of it, and
/// that nothing but descriptions can ever come from it.
@Suite struct OpenAPIDescriptionImproverTests {
    /// A model that answers every request with one scripted reply (or fails), recording what it was asked.
    struct OneReply: BuildModel {
        let reply: Result<BuildModelReply, NexusError>
        func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
            try reply.get()
        }
        static func text(_ t: String, truncated: Bool = false) -> OneReply {
            OneReply(
                reply: .success(
                    BuildModelReply(text: t, model: "fake:m", tokensIn: 30, tokensOut: 20, truncated: truncated)))
        }
    }

    static func plan() throws -> OpenAPIModulePlan {
        try OpenAPIGenerator.makePlan(
            try OpenAPIDocument.load(path: GateFixture.packageRoot + "/farm/api_key_header/openapi.yaml"),
            options: OpenAPIOptions())
    }

    @Test func controlAndFormatCharactersGoAndTextIsOneParagraphOfAtMostTheLimit() {
        #expect(
            OpenAPIDescriptionImprover.sanitize("a\u{1B}[31mb\u{07}c\u{202E}d\u{200B}e\u{85}f\u{7F}g", limit: 400)
                == "a [31mb c d e f g")
        #expect(OpenAPIDescriptionImprover.sanitize("  one\n\n\ttwo  \r\n", limit: 400) == "one two")
        #expect(OpenAPIDescriptionImprover.sanitize("\u{0}\u{1}\n ", limit: 400) == nil)
        let cut = OpenAPIDescriptionImprover.sanitize(String(repeating: "é", count: 1000), limit: 400) ?? ""
        #expect(cut.count == 400 && cut.hasSuffix("…"))
    }

    @Test func onlyKnownToolsWithTextAreReadFromTheReply() throws {
        let plan = try Self.plan()
        let fenced = "Sure:\n```json\n{\"list_items\": \"All items.\", \"rm\": \"x\", \"get_item\": {\"a\": 1}}\n```"
        #expect(OpenAPIDescriptionImprover.parse(fenced, plan: plan) == ["list_items": "All items."])
        #expect(OpenAPIDescriptionImprover.parse("no JSON here", plan: plan) == nil)
        #expect(OpenAPIDescriptionImprover.parse("[\"list_items\"]", plan: plan) == nil)
    }

    @Test func namesSchemasAndEverythingButDescriptionsStayAsGenerated() async throws {
        let plan = try Self.plan()
        let hostile = #"{"list_items": "Lists.", "get_item": "Reads.", "name": "evil", "input_schema": {}}"#
        let out = await OpenAPIDescriptionImprover.improve(plan, with: OneReply.text(hostile))
        #expect(out.model == "fake:m" && out.tokensIn == 30 && out.tokensOut == 20)
        #expect(out.plan.operations.map(\.description) == ["Lists.", "Reads."])
        #expect(out.plan.operations.map(\.tool) == plan.operations.map(\.tool))
        #expect(out.plan.operations.map(\.inputSchema) == plan.operations.map(\.inputSchema))
        #expect(out.plan.hosts == plan.hosts && out.plan.baseURL == plan.baseURL)
        #expect(out.plan.generatedDescriptions["list_items"] == "List the items in the inventory.")
        let files = OpenAPIGenerator.render(out.plan, source: "s.yaml").files
        let plain = OpenAPIGenerator.render(plan, source: "s.yaml").files
        #expect(files.file("manifest.json") == plain.file("manifest.json"))
        #expect(files.file("test_adapter.py") == plain.file("test_adapter.py"))
    }

    @Test func anyFailureKeepsTheGeneratedDescriptionsAndSaysWhy() async throws {
        let plan = try Self.plan()
        let cases: [(OneReply, String)] = [
            (OneReply(reply: .failure(NexusError("no provider for code_generation"))), "the model call failed"),
            (OneReply.text("{}", truncated: true), "too large"),
            (OneReply.text("I would rather not."), "not a JSON object"),
            (OneReply.text(#"{"other": "x"}"#), "named no tool"),
        ]
        for (model, why) in cases {
            let out = await OpenAPIDescriptionImprover.improve(plan, with: model)
            #expect(out.model == nil)
            #expect(out.note.hasPrefix("descriptions: the generated ones are kept: ") && out.note.contains(why))
            #expect(out.plan.operations.map(\.description) == plan.operations.map(\.description))
            #expect(out.plan.describedBy == nil)
        }
    }
}
