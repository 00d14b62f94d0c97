import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusEvolution

/// Published OpenAPI documents of real services (issue 15 "Real specs"), copied from PyPI source distributions
/// under their licences (testdata/openapi-real/SOURCES.md): each builds offline with no model and the module
/// passes the real gate (sandbox, protocol, its generated tests against a mock from the spec, mutation).
@Suite(.serialized) struct OpenAPIRealSpecTests {
    static var folder: String { GateFixture.packageRoot + "/testdata/openapi-real" }

    /// file, the base URL the tests deploy it at, operations in the spec.
    static let specs: [(String, String, Int)] = [
        ("jupyter_server.yaml", "http://127.0.0.1:8888/api", 31),
        ("jupyterlab_server.yaml", "http://127.0.0.1:8888/lab/api", 12),
        ("jupyterhub.yaml", "http://127.0.0.1:8081/hub/api", 50),
        ("mlserver_dataplane.json", "http://127.0.0.1:8080", 15),
        ("mlserver_model_repository.json", "http://127.0.0.1:8080", 3),
        ("airflow.yaml", "http://127.0.0.1:8080/api/v1", 89),
    ]

    @Test func everyRealSpecIsTheFileItsSourceNames() throws {
        let sources = try FileSystem.readText(Self.folder + "/SOURCES.md")
        #expect(Self.specs.count >= 5)
        for (file, _, _) in Self.specs {
            let row = try #require(sources.split(separator: "\n").first { $0.hasPrefix("| \(file) |") }, "\(file)")
            let cells = row.split(separator: "|").map { String($0).trimmingSpaces }
            let licence = cells[5]
            #expect(licence.hasPrefix("BSD-3-Clause") || licence.hasPrefix("Apache-2.0"), "\(file): \(licence)")
            let notice = try #require(licence.split(separator: "`").dropFirst().first.map(String.init))
            #expect(FileSystem.kind(of: Self.folder + "/" + notice) == .file, "\(file): \(notice)")
            let r = Subprocess.run(["/usr/bin/sha256sum", Self.folder + "/" + file], environment: [:])
            #expect(r.stdout.hasPrefix(cells[6] + " "), "\(file): sha256 \(r.stdout) is not \(cells[6])")
        }
    }

    @Test(arguments: specs)
    func aPublishedSpecBuildsOfflineAndPassesTheGate(file: String, base: String, operations: Int) async throws {
        let home = TemporaryDirectory()
        defer { home.remove() }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let started = MonotonicClock.nanoseconds()
        let doc = try OpenAPIDocument.load(path: Self.folder + "/" + file)
        let out = try OpenAPIGenerator.generate(doc, options: OpenAPIOptions(baseURL: base))
        let scaffold = MonotonicClock.millisSince(started)
        #expect(out.plan.operations.count == min(operations, 40))
        #expect(out.plan.operations.count + out.plan.leftOut.count == operations)
        let folder = try OpenAPIGateTests.write(out.files, in: dir)
        let report = try await GateFixture.gate(home: home).run(folder: folder)
        #expect(report.passed, "\(file): \(report.render(folder: file))")
        let dots = OpenAPITestWriter.dotTarget(out.plan) == nil ? 0 : 1
        #expect(report.testsTotal == out.plan.operations.count + 1 + dots)
        #expect(report.testsPassed == report.testsTotal)
        #expect(report.mutationScore >= 0.8)
        #expect(report.tools == out.plan.operations.map(\.tool), "tools/list in the spec's order")
        print(
            "real spec \(file): \(operations) operations, \(out.plan.operations.count) tools, scaffold "
                + "\(Int(scaffold)) ms, gate \(report.passed ? "pass" : "FAIL") (tests \(report.testsPassed)/"
                + "\(report.testsTotal), mutation \(report.mutantsKilled)/\(report.mutantsTotal))")
    }
}
