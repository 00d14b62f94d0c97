import NexusCore
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// The OpenAPI generator (issue 15) as a specification: names, schemas, auth, base URL, pagination and the
/// refusals, on the farm's specs and small inline ones.
@Suite struct OpenAPIGeneratorTests {
    static func farm(_ scenario: String) throws -> OpenAPIDocument {
        try OpenAPIDocument.load(path: GateFixture.packageRoot + "/farm/\(scenario)/openapi.yaml")
    }

    static func generate(_ text: String, options: OpenAPIOptions = OpenAPIOptions()) throws -> OpenAPIGenerator.Output {
        try OpenAPIGenerator.generate(try OpenAPIDocument.parse(text, source: "spec.yaml"), options: options)
    }

    static func file(_ out: OpenAPIGenerator.Output, _ path: String) -> String { out.files.file(path)?.content ?? "" }

    static func manifest(_ out: OpenAPIGenerator.Output) throws -> JSONValue {
        try JSONValue(parsing: file(out, "manifest.json"))
    }

    @Test func operationIdsBecomeSnakeCaseToolsAndMissingOnesUseMethodAndPath() throws {
        let out = try Self.generate(
            """
            openapi: 3.0.0
            info: {title: Names, version: "1"}
            servers: [{url: "https://api.example.com/v2"}]
            paths:
              /a: {get: {operationId: getHTTPStatus, responses: {"200": {description: ok}}}}
              /b: {get: {operationId: get-http-status, responses: {"200": {description: ok}}}}
              /players/{tag}/battles: {get: {parameters: [{name: tag, in: path, required: true, schema: {type: string}}], responses: {"200": {description: ok}}}}
            """)
        #expect(out.plan.operations.map(\.tool) == ["get_http_status", "get_http_status_2", "get_players_tag_battles"])
        #expect(out.plan.notes.contains { $0.contains("get_http_status_2") })
        #expect(
            out.plan.operations.allSatisfy {
                $0.tool.count <= 64 && $0.tool.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            })
    }

    @Test func loopbackServerBecomesTheExplicitAllowEntryAndBaseURLOverrides() throws {
        let m = try Self.manifest(
            try OpenAPIGenerator.generate(try Self.farm("api_key_header"), options: OpenAPIOptions()))
        #expect(m["network"]?["allow"] == ["127.0.0.1:18301"])
        let o = try OpenAPIGenerator.generate(
            try Self.farm("api_key_header"), options: OpenAPIOptions(baseURL: "https://inventory.example.org/api/"))
        #expect(o.plan.baseURL == "https://inventory.example.org/api")
        #expect(try Self.manifest(o)["network"]?["allow"] == ["inventory.example.org"])
    }

    @Test func serverVariablesAndSwaggerHostAndBasePathGiveTheBaseURL() throws {
        #expect(
            try OpenAPIGenerator.makePlan(try Self.farm("path_encoding"), options: OpenAPIOptions()).baseURL
                == "http://127.0.0.1:18314")
        #expect(
            try OpenAPIGenerator.makePlan(try Self.farm("api_key_query"), options: OpenAPIOptions()).baseURL
                == "http://127.0.0.1:18302/data")
    }

    @Test func swaggerParametersKeepTheirInlineSchemaAndXExample() throws {
        let plan = try OpenAPIGenerator.makePlan(try Self.farm("api_key_query"), options: OpenAPIOptions())
        let props = plan.operations[0].inputSchema["properties"]
        #expect(props?["q"]?["example"] == "Paris" && props?["q"]?["description"] == "City name")
        #expect(props?["units"]?["enum"] == ["metric", "imperial"] && props?["units"]?["default"] == "metric")
        #expect(plan.operations[0].inputSchema["required"] == ["q"])
        let tests = Self.file(
            try OpenAPIGenerator.generate(try Self.farm("api_key_query"), options: OpenAPIOptions()), "test_adapter.py")
        #expect(tests.contains(#""appid":"test-app_id""#) && tests.contains(#""q":"Paris""#))
    }

    @Test func nestedRefsAndAllOfAreMergedWithRequiredEnumsAndDefaultsKept() throws {
        let plan = try OpenAPIGenerator.makePlan(try Self.farm("nested_ref_allof"), options: OpenAPIOptions())
        let schema = try #require(plan.operations.first?.inputSchema)
        #expect(schema["required"] == ["customer", "lines"])
        let customer = try #require(schema["properties"]?["customer"])
        #expect(customer["properties"]?["address"]?["properties"]?["city"]?["type"] == "string")
        #expect(customer["properties"]?["vip"]?["default"] == false)
        #expect(customer["required"] == ["email", "address"])
        #expect(schema["properties"]?["priority"]?["enum"] == ["normal", "express"])
        #expect(schema["properties"]?["lines"]?["items"]?["properties"]?["qty"]?["default"] == 1)
    }

    @Test func aRefCycleIsCutWithANoteUnlessEveryStepIsRequired() throws {
        let spec = { (required: String) in
            """
            openapi: 3.0.0
            info: {title: Tree, version: "1"}
            servers: [{url: "https://t.example.com"}]
            paths:
              /nodes:
                post:
                  requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}}
                  responses: {"200": {description: ok}}
            components:
              schemas:
                Node: {type: object, required: [\(required)], properties: {name: {type: string}, child: {$ref: "#/components/schemas/Node"}}}
            """
        }
        let cut = try Self.generate(spec("name"))
        #expect(cut.plan.notes.contains { $0.contains("cycle at #/components/schemas/Node cut") })
        let child = cut.plan.operations[0].inputSchema["properties"]?["child"]
        #expect(child?["type"] == "object" && child?["description"] == "a Node (recursive)")
        #expect(throws: OpenAPIError.impossibleSchema(pointer: "#/components/schemas/Node")) {
            try Self.generate(spec("name, child"))
        }
    }

    @Test func securitySchemesBecomeCredentialsNamedAfterTheirKeys() throws {
        func creds(_ s: String) throws -> [String] {
            try Self.manifest(try OpenAPIGenerator.generate(try Self.farm(s), options: OpenAPIOptions()))[
                "credentials"]?
                .arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }
        #expect(try creds("api_key_header") == ["api_key_auth"])
        #expect(try creds("api_key_query") == ["app_id"])
        #expect(try creds("bearer_token") == ["bearer_auth"])
        #expect(try creds("basic_auth") == ["bank_username", "bank_password"])
        #expect(try creds("oauth2_client_credentials") == ["corp_client_id", "corp_client_secret"])
        let adapter = Self.file(
            try OpenAPIGenerator.generate(try Self.farm("oauth2_client_credentials"), options: OpenAPIOptions()),
            "adapter.py")
        #expect(adapter.contains("OAuth2ClientCredentials("))
    }

    @Test func paginationIsDetectedPerOperation() throws {
        func style(_ s: String) throws -> OpenAPIPagination? {
            try OpenAPIGenerator.makePlan(try Self.farm(s), options: OpenAPIOptions()).operations.first?.pagination
        }
        #expect(try style("page_pagination")?.style == .page)
        #expect(try style("page_pagination")?.itemsPath == ["users"])
        #expect(try style("page_pagination")?.sizeParam == "per_page")
        #expect(try style("offset_link")?.style == .link)
        #expect(try style("cursor_pagination")?.cursorPath == ["meta", "next_cursor"])
        #expect(try style("path_encoding") == nil)
        let input = try OpenAPIGenerator.makePlan(try Self.farm("cursor_pagination"), options: OpenAPIOptions())
            .operations[0].inputSchema
        #expect(input["properties"]?["max_items"]?["default"] == 100)
    }

    @Test func pathParametersArePercentEncodedInTheExpectedRequests() throws {
        let tests = Self.file(
            try OpenAPIGenerator.generate(try Self.farm("path_encoding"), options: OpenAPIOptions()), "test_adapter.py")
        #expect(tests.contains("/players/%232PP"))
        #expect(OpenAPITestWriter.percentEncode("#2PP ü/") == "%232PP%20%C3%BC%2F")
    }

    @Test func atMostFortyOperationsGETsFirstAndTheRestRecorded() throws {
        var paths = ""
        for i in 0..<30 {
            paths += "  /w\(i): {post: {operationId: write\(i), responses: {\"200\": {description: ok}}}}\n"
        }
        for i in 0..<20 {
            paths += "  /r\(i): {get: {operationId: read\(i), responses: {\"200\": {description: ok}}}}\n"
        }
        let spec =
            "openapi: 3.0.0\ninfo: {title: Big, version: \"1\"}\nservers: [{url: \"https://b.example.com\"}]\npaths:\n"
            + paths
        let out = try Self.generate(spec)
        #expect(out.plan.operations.count == 40)
        #expect(out.plan.operations.prefix(20).allSatisfy { $0.method == "GET" })
        #expect(out.plan.leftOut.count == 10)
        #expect(
            out.plan.notes.contains {
                $0.hasPrefix("40 of 50 operations generated (cap 40, GETs first); left out: write20")
            })
        let record = try JSONValue(parsing: Self.file(out, "openapi_build.json"))
        #expect(record["cap"] == 40 && record["left_out"]?.arrayValue?.count == 10)
        let chosen = try Self.generate(spec, options: OpenAPIOptions(operations: ["read1*", "write2"]))
        #expect(chosen.plan.operations.map(\.tool) == ["write2", "read1"] + (10...19).map { "read\($0)" })
    }

    @Test func aTwoHundredOperationSpecIsScaffoldedInUnderTwoSeconds() throws {
        var paths = ""
        for i in 0..<200 {
            paths +=
                "  /r\(i)/{id}: {get: {operationId: read\(i), parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: page, in: query, schema: {type: integer}}], responses: {\"200\": {description: ok, content: {application/json: {schema: {type: array, items: {type: object, properties: {id: {type: string}}}}}}}}}}\n"
        }
        let spec =
            "openapi: 3.0.0\ninfo: {title: Huge, version: \"1\"}\nservers: [{url: \"https://h.example.com\"}]\npaths:\n"
            + paths
        let start = MonotonicClock.nanoseconds()
        let out = try Self.generate(spec)
        #expect(MonotonicClock.millisSince(start) < 2000)
        #expect(out.plan.operations.count == 40 && out.plan.leftOut.count == 160)
    }

    // MARK: bad input

    @Test func malformedJSONAndYAMLAreRefusedWithLineAndColumn() {
        #expect(throws: OpenAPIError.self) {
            try OpenAPIDocument.parse("{\n  \"openapi\": \"3.0.0\",\n  oops\n}", source: "s.json")
        }
        do {
            _ = try OpenAPIDocument.parse("{\n  \"openapi\": \"3.0.0\",\n  oops\n}", source: "s.json")
        } catch {
            guard case .malformedJSON(_, let line, let column, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(line == 3 && column == 3)
            #expect(error.exitCode == .usage)
        }
        do {
            _ = try OpenAPIDocument.parse("openapi: 3.0.0\ninfo:\n  title: [unclosed\n", source: "s.yaml")
            Issue.record("accepted broken YAML")
        } catch {
            guard case .malformedYAML(_, let line, _, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(line >= 3)
            #expect(error.userMessage.hasPrefix("openapi: s.yaml:\(line):"))
        }
    }

    @Test func unsupportedVersionsNoServerAndOversizedSpecsAreRefused() {
        #expect(throws: OpenAPIError.unsupportedVersion(path: "s", found: "openapi 4.0.0")) {
            try OpenAPIDocument.parse("openapi: 4.0.0\ninfo: {title: x}", source: "s")
        }
        #expect(throws: OpenAPIError.unsupportedVersion(path: "s", found: "swagger 1.2")) {
            try OpenAPIDocument.parse("swagger: \"1.2\"\n", source: "s")
        }
        #expect(throws: OpenAPIError.noServer(path: "spec.yaml")) {
            try Self.generate("openapi: 3.0.0\ninfo: {title: x}\npaths: {/a: {get: {responses: {}}}}")
        }
        let big = "openapi: 3.0.0\n# " + String(repeating: "x", count: OpenAPIDocument.maxBytes) + "\n"
        #expect(throws: OpenAPIError.self) { try OpenAPIDocument.parse(big, source: "big.yaml") }
        #expect(OpenAPIError.noServer(path: "s").exitCode == .usage)
    }

    @Test func aFiftyMegabyteSpecFileIsRefusedBeforeItIsParsed() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.write("big.yaml", "openapi: 3.0.0\n# " + String(repeating: "x", count: 50 << 20) + "\n")
        #expect(
            throws: OpenAPIError.tooLarge(
                path: path, bytes: OpenAPIDocument.maxBytes + 1, limit: OpenAPIDocument.maxBytes)
        ) {
            try OpenAPIDocument.load(path: path)
        }
    }

    @Test func nonJSONBodiesAreSkippedWithANoteAndASpecOfOnlyThoseIsRefused() throws {
        let spec = """
            openapi: 3.0.0
            info: {title: Up, version: "1"}
            servers: [{url: "https://u.example.com"}]
            paths:
              /upload: {post: {operationId: upload, requestBody: {content: {multipart/form-data: {schema: {type: object}}}}, responses: {"200": {description: ok}}}}
              /files: {get: {operationId: listFiles, responses: {"200": {description: ok}}}}
            """
        let out = try Self.generate(spec)
        #expect(out.plan.operations.map(\.tool) == ["list_files"])
        #expect(out.plan.notes.contains { $0.contains("POST /upload: request body is multipart/form-data, not JSON") })
        #expect(throws: OpenAPIError.self) { try Self.generate(spec, options: OpenAPIOptions(operations: ["upload"])) }
    }

    @Test func specURLsAreRefusedWithAHintToDownloadThem() {
        #expect(throws: OpenAPIError.remoteSpec("https://example.com/openapi.json")) {
            try OpenAPIDocument.load(path: "https://example.com/openapi.json")
        }
    }

    @Test func jsonAndYAMLOfTheSameSpecGiveTheSameFiles() throws {
        let yaml = try Self.farm("bearer_token")
        let json = try OpenAPIDocument.parse(yaml.root.serialized, source: yaml.source)
        #expect(
            try OpenAPIGenerator.generate(yaml, options: OpenAPIOptions()).files
                == OpenAPIGenerator.generate(json, options: OpenAPIOptions()).files)
    }
}
