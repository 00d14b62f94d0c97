import NexusCore
import NexusPOSIX
import NexusStore
import Testing

@testable import NexusEvolution

/// The farm as data: every scenario has a server, a spec and an acceptance file whose tools and credentials
/// are the ones the generator makes from that spec, and every server binds to loopback only.
@Suite struct OpenAPIFarmTests {
    static var farm: String { GateFixture.packageRoot + "/farm" }
    static var scenarios: [String] {
        FileSystem.list(farm).filter { FileSystem.kind(of: farm + "/" + $0 + "/server.py") == .file }.sorted()
    }

    @Test func theFarmHasAtLeastTwelveScenariosEachWithSpecAndAcceptance() {
        #expect(Self.scenarios.count >= 12)
        for s in Self.scenarios {
            #expect(FileSystem.kind(of: Self.farm + "/\(s)/openapi.yaml") == .file, "\(s)")
            #expect(FileSystem.kind(of: Self.farm + "/\(s)/acceptance.json") == .file, "\(s)")
        }
    }

    @Test func acceptanceChecksNameGeneratedToolsAndDeclaredCredentials() throws {
        for s in Self.scenarios {
            let out = try OpenAPIGenerator.generate(
                try OpenAPIDocument.load(path: Self.farm + "/\(s)/openapi.yaml"), options: OpenAPIOptions(name: s))
            let acceptance = try JSONValue(parsing: FileSystem.readText(Self.farm + "/\(s)/acceptance.json"))
            let tools = Set(out.plan.operations.map(\.tool))
            for check in acceptance["checks"]?.arrayValue ?? [] {
                #expect(tools.contains(check["tool"]?.stringValue ?? ""), "\(s): \(check.serialized)")
            }
            let declared = Set(out.plan.usedSchemes.flatMap(\.credentials))
            #expect(Set(acceptance["credentials"]?.objectValue?.keys ?? []) == declared, "\(s)")
            #expect(out.plan.hosts.allSatisfy { $0.hasPrefix("127.0.0.1:") }, "\(s): \(out.plan.hosts)")
        }
    }

    @Test func farmServersListenOnLoopbackOnly() throws {
        let lib = try FileSystem.readText(Self.farm + "/farmlib.py")
        #expect(lib.contains(#"ThreadingHTTPServer(("127.0.0.1", args.port), Handler)"#))
        #expect(!lib.contains("0.0.0.0"))
    }
}
