import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// Generated modules through the real gate (sandbox, protocol, their own tests, mutation): the generator's
/// output is held to the same bar as a model's.
@Suite(.serialized) struct OpenAPIGateTests {
    static func write(_ files: BuildFileSet, in dir: TemporaryDirectory) throws -> String {
        let folder = dir.path + "/module"
        try FileSystem.ensureDirectory(folder)
        for f in files.files { try FileSystem.writeAtomically(folder + "/" + f.path, text: f.content) }
        return folder
    }

    @Test(arguments: [
        "api_key_header", "api_key_query", "bearer_token", "basic_auth", "oauth2_client_credentials", "page_pagination",
        "offset_link", "cursor_pagination", "rate_limit_429", "path_encoding", "nested_ref_allof", "unicode_large",
    ])
    func generatedFarmModulePassesTheGateWithItsMutantsKilled(scenario: String) async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let doc = try OpenAPIDocument.load(path: GateFixture.packageRoot + "/farm/\(scenario)/openapi.yaml")
        let out = try OpenAPIGenerator.generate(doc, options: OpenAPIOptions())
        let folder = try Self.write(out.files, in: dir)
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(report.passed, "\(scenario): \(report.render(folder: scenario))")
        #expect(report.testsTotal == out.plan.operations.count + 1)
        #expect(report.mutationScore >= 0.8)
        #expect(report.tools == out.plan.operations.map(\.tool).sorted())
    }
}
