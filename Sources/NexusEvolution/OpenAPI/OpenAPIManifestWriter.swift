import NexusCore

/// Writes a generated module's manifest.json: credentials named after the security schemes, the API's
/// hosts in network.allow (an IP literal such as 127.0.0.1:18301 kept as the explicit loopback entry),
/// DELETE tools marked sensitive, and a smoke test on the first GET that needs no argument.
enum OpenAPIManifestWriter {
    static func write(_ plan: OpenAPIModulePlan) -> JSONValue {
        var creds: [JSONValue] = []
        for s in plan.usedSchemes {
            for c in s.credentials {
                creds.append([
                    "name": .string(c), "env": .string(OpenAPINaming.env(module: plan.name, credential: c)),
                    "instructions": .string("the \(s.key) credential (\(describe(s))) of \(plan.title)"),
                ])
            }
        }
        var m = JSONObject([
            ("name", .string(plan.name)), ("version", "1.0.0"), ("category", "api"),
            ("platform", .string(plan.name)), ("display_name", .string(plan.title)),
            ("description", .string(plan.summary)),
            ("entry_point", "adapter.py"), ("class_name", .string(plan.className)),
            ("requires_api_key", .bool(!creds.isEmpty)),
            ("api_key_instructions", .string(creds.isEmpty ? "" : "see the API's documentation for \(plan.title)")),
            ("python_dependencies", []), ("test_file", "test_adapter.py"), ("health_status", "healthy"),
            ("created_by", "openapi_generator"), ("build_provider", ""), ("validation_results", .object(JSONObject())),
            ("runtime", ["protocol": "mcp-stdio", "command": ["python3", "adapter.py"]]),
            ("credentials", .array(creds)), ("network", ["allow": .array(plan.hosts.map { .string($0) })]),
            ("sensitive_tools", .array(plan.operations.filter { $0.method == "DELETE" }.map { .string($0.tool) })),
            ("sha256", ""),
        ])
        if let smoke = plan.operations.first(where: { op in op.method == "GET" && !op.arguments.contains { $0.required }
        }) {
            m["smoke_test"] = ["tool": .string(smoke.tool), "arguments": .object(JSONObject())]
        }
        return .object(m)
    }

    static func describe(_ s: OpenAPISecurityScheme) -> String {
        switch s.kind {
        case .apiKey: return "API key in the \(s.location) \(s.parameter)"
        case .bearer: return "bearer token"
        case .basic: return "HTTP basic user name and password"
        case .oauth2: return "OAuth2 client id and secret for \(s.tokenURL)"
        }
    }
}
