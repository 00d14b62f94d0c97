import NexusCore
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// With a model configured and no `--no-model`, an OpenAPI build asks it once to improve the tool
/// descriptions (issue 15). The fake provider answers over its real wire format; its reply is hostile: only
/// known tools' texts are taken, cleaned and cut; names, schemas and hosts never change; any failure keeps
/// the generated descriptions and the build goes on. The proof names what happened.
@Suite(.serialized) struct OpenAPIDescriptionEndToEnd {
    let dir = TemporaryDirectory(prefix: "nexus-e2e-openapi-desc")
    var spec: String { NexusBinary.packageRoot + "/farm/api_key_header/openapi.yaml" }

    func env(_ server: FakeProviderServer, home: String) -> [String: String] {
        OpenAPIBuildEndToEnd.env(server, home: home, in: dir)
    }

    /// The one attempt folder of the only build in `home`.
    func attempt(_ home: String) throws -> String {
        let builds = dir.path + "/" + home + "/builds"
        let id = try #require(FileSystem.list(builds).first, "no build folder in \(builds)")
        return builds + "/" + id + "/attempt-1"
    }

    @Test func oneModelCallImprovesDescriptionsAndItsHostileRestIsDropped() throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        let e = env(server, home: "improved")
        let long = String(repeating: "Read one item by its id. ", count: 200)
        let reply: JSONValue = [
            "list_items": "List the inventory\u{1B}[2J with\u{07} stock\u{202E} counts;\nuse in_stock to filter.",
            "get_item": .string(long), "drop_database": "Deletes everything.", "input_schema": ["type": "object"],
        ]
        server.enqueue(.text("Here you go:\n```json\n" + reply.serialized + "\n```"))
        let r = NexusBinary.run(["build", "--openapi", spec, "--name", "inventory", "--approve", "no"], env: e)
        let shown = r.stdout + r.stderr
        #expect(r.status == 3, "\(shown.suffix(2000))")
        #expect(server.chatRequests.count == 1, "one batched call")
        let asked = server.chatRequests.first?.body ?? ""
        #expect(asked.contains("list_items") && asked.contains("get_item"), "\(asked.prefix(800))")
        #expect(shown.contains("openapi: descriptions: 2 of 2 improved by fake:fake-model"), "\(shown.suffix(2000))")
        #expect(shown.contains("openapi:generator, descriptions by fake:fake-model"), "the proof names the model")
        #expect(shown.contains("check tests"), "the gate ran on the improved files")
        let folder = try attempt("improved")
        let adapter = try FileSystem.readText(folder + "/adapter.py")
        #expect(adapter.contains("List the inventory [2J with stock counts; use in_stock to filter."))
        #expect(!adapter.contains("\\u001b") && !adapter.contains("\\u0007") && !adapter.contains("\\u202e"))
        #expect(!adapter.contains("drop_database") && !adapter.contains("Deletes everything"))
        let record = try JSONValue(parsing: FileSystem.readText(folder + "/openapi_build.json"))
        #expect(record["descriptions"]?["by"] == "fake:fake-model")
        #expect(record["descriptions"]?["improved"]?["list_items"]?["generated"] == "List the items in the inventory.")
        let cut = record["descriptions"]?["improved"]?["get_item"]?["model"]?.stringValue ?? ""
        #expect(cut.count == 400 && cut.hasSuffix("…"), "cut to 400 characters: \(cut.count)")
        #expect(record["operations"] == ["list_items", "get_item"], "names never change")
        // Names, schemas, hosts and credentials are those of a build with no model.
        let plain = env(server, home: "plain")
        let p = NexusBinary.run(
            ["build", "--openapi", spec, "--name", "inventory", "--no-model", "--approve", "no"], env: plain)
        #expect(p.status == 3, "\(p.stderr.suffix(800))")
        #expect(server.chatRequests.count == 1, "--no-model calls no model")
        #expect(
            try FileSystem.readText(folder + "/manifest.json")
                == FileSystem.readText(try attempt("plain") + "/manifest.json"))
    }

    @Test(arguments: [
        ("prose", FakeReply.text("Sure! The tools look fine to me."), "not a JSON object of tool names"),
        ("refused", FakeReply.error(401, message: "invalid api key"), "the model call failed"),
        ("unknown", FakeReply.text(#"{"other_tool": "x", "get_item": "\u0007\u0000"}"#), "named no tool"),
    ])
    func aFailedOrUselessAnswerKeepsTheGeneratedDescriptions(home: String, answer: FakeReply, why: String) throws {
        try #require(NexusBinary.exists, "build nexus first (swift build)")
        let server = try FakeProviderServer()
        defer { server.stop() }
        server.enqueue(answer)
        let r = NexusBinary.run(
            ["build", "--openapi", spec, "--name", "inventory", "--approve", "no"], env: env(server, home: home))
        let shown = r.stdout + r.stderr
        #expect(r.status == 3, "the build goes on: \(shown.suffix(2000))")
        #expect(shown.contains("openapi: descriptions: the generated ones are kept: "), "\(shown.suffix(2000))")
        #expect(shown.contains(why), "\(shown.suffix(2000))")
        let folder = try attempt(home)
        #expect(try FileSystem.readText(folder + "/adapter.py").contains("List the items in the inventory."))
        #expect(try JSONValue(parsing: FileSystem.readText(folder + "/openapi_build.json"))["descriptions"] == nil)
    }
}
