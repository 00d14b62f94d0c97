import NexusCore
import Testing

@testable import NexusEvolution

/// `/build --openapi` and `nexus build --openapi` parse to one request (issue 15).
@Suite struct OpenAPIArgumentsTests {
    @Test func openapiOptionsNeedNoDescriptionAndKeepTheirValues() throws {
        let a = try BuildArguments(parsing: [
            "--openapi", "farm/x/openapi.yaml", "--operations", "get*,list_items", "--base-url",
            "http://127.0.0.1:9/v1",
            "--no-model", "--name", "inventory",
        ])
        #expect(
            a.openapi
                == BuildArguments.OpenAPIRequest(
                    spec: "farm/x/openapi.yaml", operations: ["get*", "list_items"], baseURL: "http://127.0.0.1:9/v1",
                    noModel: true))
        #expect(a.name == "inventory")
        #expect(a.description == "OpenAPI x/openapi.yaml (farm/x/openapi.yaml)", "the spec's own part first")
        #expect(
            BuildArguments.openAPIRequest("https://api.example.com/v3/openapi.json")
                == "OpenAPI v3/openapi.json (https://api.example.com/v3/openapi.json)")
        #expect(BuildArguments.openAPIRequest("s.yaml") == "OpenAPI s.yaml")
    }

    @Test func aFarmScenarioGoesWithTheSpecAndIsAPlainName() throws {
        let a = try BuildArguments(parsing: ["--openapi", "s.yaml", "--farm", "api_key_header"])
        #expect(a.openapi?.farm == "api_key_header")
        #expect(throws: NexusError.self) { try BuildArguments(parsing: ["--openapi", "s.yaml", "--farm", "../x"]) }
    }

    @Test func openapiOnlyOptionsWithoutASpecAreAUsageError() {
        for args in [
            ["x", "--no-model"], ["x", "--operations", "a*"], ["x", "--base-url", "https://a.example.com"],
            ["x", "--farm", "api_key_header"],
        ] {
            #expect(throws: NexusError.self) { try BuildArguments(parsing: args) }
        }
        #expect(throws: NexusError.self) { try BuildArguments(parsing: ["--openapi"]) }
    }
}
