import NexusCore
import NexusLLM
import NexusPOSIX
import NexusStore
import NexusTesting
import Testing

@testable import NexusOrchestrator

// The picker's semantic half against a real embeddings server over loopback (EmbeddingTestServer: bag-of-words
// vectors, whose model name and vector size a test can swap while it runs).

// `tool` and `catalogue` (40 look-alike apps, a calendar and a mail tool) are ToolRetrievalSpecs'.

private func ranking(_ server: EmbeddingTestServer, store: ToolEmbeddingRepository?, timeoutMs: Int = 2_000)
    -> SemanticToolRanking
{
    SemanticToolRanking(
        client: EmbeddingClient(api: .openAI, url: server.openAIURL, model: "bag-of-words"), store: store,
        queryTimeoutMs: timeoutMs)
}

@Test func aDimensionChangeUnderTheSameModelNameReEmbedsTheToolsInTheBackground() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
    let semantic = ranking(server, store: store)
    let picker = ToolRanking(semantic: semantic)
    _ = await picker.pick(catalogue, for: "list calendar events", k: 3)
    await semantic.settled()
    #expect(await picker.pick(catalogue, for: "list calendar events", k: 3).mode == "hybrid")

    // Same URL, same name, another backend: 32 dimensions where the tool vectors have 64.
    server.answerAs(model: "bag-of-words", dimensions: 32)
    let t0 = MonotonicClock.nanoseconds()
    let turn = await picker.pick(catalogue, for: "list calendar events", k: 3)
    #expect(MonotonicClock.millisSince(t0) < 2_000)
    #expect(turn.mode == "lexical")  // a 32-wide query is never scored against 64-wide tools
    #expect(turn.tools.first?.name == "calendar__list_events")
    #expect(turn.notice?.contains("re-embedding the tools in the background") == true)
    await semantic.settled()
    let after = await picker.pick(catalogue, for: "list calendar events", k: 3)
    #expect(after.mode == "hybrid")
    #expect(after.tools.first?.name == "calendar__list_events")
    // The 64-wide rows were replaced, not kept beside the new ones.
    let dims = try store.db.query("SELECT DISTINCT dimension FROM tool_embeddings").compactMap { $0.int(0) }
    #expect(dims == [32])
    #expect(try store.count(model: "bag-of-words") == catalogue.count)
}

@Test func storedVectorsOfAnotherSizeAreEmbeddedAgainAtStartAndAModelTheServerNamesKeysThem() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
    let first = ranking(server, store: store)
    _ = first.index(for: catalogue, signature: 1)
    await first.settled()
    #expect(try store.count(model: "bag-of-words") == catalogue.count)

    // Next start: the server now names its model and answers 48 dimensions.
    server.answerAs(model: "minilm-int8", dimensions: 48)
    let before = server.textsPerRequest.reduce(0, +)
    let second = ranking(server, store: store)
    _ = second.index(for: catalogue, signature: 1)
    await second.settled()
    #expect(server.textsPerRequest.reduce(0, +) - before == catalogue.count)  // every tool, once
    #expect(second.index(for: catalogue, signature: 1)?.dimension == 48)
    #expect(try store.count(model: "minilm-int8") == catalogue.count)
    #expect(try store.count(model: "bag-of-words") == 0)
    #expect(second.mode == .hybrid(tools: catalogue.count))
}

@Test func anInstalledToolIsEmbeddedAloneWhileTheOthersStayRankedSemantically() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
    let semantic = ranking(server, store: store)
    let picker = ToolRanking(semantic: semantic)
    _ = await picker.pick(catalogue, for: "anything", k: 3)
    await semantic.settled()
    let before = server.textsPerRequest.count

    let grown = catalogue + [tool("weather__get_forecast", "Forecast for a city, hour by hour.")]
    // The turn that changes the set does not wait for re-indexing; the tools already known are ranked by meaning
    // again as soon as the background task has indexed them, before the new tool is embedded.
    let changing = await picker.pick(grown, for: "list calendar events", k: 3)
    #expect(changing.tools.first?.name == "calendar__list_events")
    let signature = picker.lexical(grown).1
    let t0 = MonotonicClock.nanoseconds()
    while semantic.index(for: grown, signature: signature) == nil && MonotonicClock.millisSince(t0) < 5_000 {
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    let interim = try #require(semantic.index(for: grown, signature: signature))
    #expect(interim.embedded >= catalogue.count)
    let now = await picker.pick(grown, for: "list calendar events", k: 3)
    #expect(now.mode == "hybrid")
    #expect(now.tools.first?.name == "calendar__list_events")
    await semantic.settled()
    // Only the new tool's text was embedded (besides one-text probes and query turns): no batch of old ones.
    #expect(server.textsPerRequest.dropFirst(before).allSatisfy { $0 == 1 })
    #expect(try store.count(model: "bag-of-words") == grown.count)
    let later = await picker.pick(grown, for: "forecast for a city", k: 3)
    #expect(later.mode == "hybrid")
    #expect(later.tools.first?.name == "weather__get_forecast")
}

@Test func aHundredKilobyteOrEmptyDescriptionIsEmbeddedBoundedAndStillFound() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
    let semantic = ranking(server, store: store)
    let picker = ToolRanking(semantic: semantic)
    let huge = "Convert currency amounts between two currencies. " + String(repeating: "padding text ", count: 8_000)
    #expect(huge.utf8.count > 100_000)
    let tools =
        catalogue + [tool("money__convert_currency", huge), tool("weather__get_forecast", "")]
    _ = await picker.pick(tools, for: "anything", k: 3)
    await semantic.settled()
    // What is sent and stored is the tool's words and the first 1,000 characters, not 100 KB per tool.
    let longest = try store.db.query("SELECT MAX(LENGTH(text)) FROM tool_embeddings").first?.int(0) ?? 0
    #expect(longest > 0 && longest < 1_100)
    #expect(try store.count(model: "bag-of-words") == tools.count)
    #expect(await picker.pick(tools, for: "convert currency", k: 3).tools.first?.name == "money__convert_currency")
    // No description: embedded from its app and tool words.
    let forecast = await picker.pick(tools, for: "weather forecast", k: 3)
    #expect(forecast.mode == "hybrid")
    #expect(forecast.tools.first?.name == "weather__get_forecast")
}

@Test func duplicateToolsAcrossModulesShareOneVectorAndBothStayPickable() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
    let semantic = ranking(server, store: store)
    let dup = tool("mail__send_email", "Send an email.")
    // The same tool twice (two modules exposing it under one name) and a look-alike in another module.
    let tools = catalogue + [dup, tool("mail2__send_email", "Send an email.")]
    _ = semantic.index(for: tools, signature: 7)
    await semantic.settled()
    let index = try #require(semantic.index(for: tools, signature: 7))
    #expect(index.count == tools.count)
    #expect(index.embedded == tools.count)
    // One row per distinct text: the duplicate and the look-alike (the same description: a tool is embedded from
    // what it does) were embedded once, as the catalogue's own mail__send_email.
    #expect(try store.count(model: "bag-of-words") == catalogue.count)
    #expect(server.textsPerRequest.reduce(0, +) == catalogue.count)
}

@Test func aServerThatStopsAfterTheToolsAreEmbeddedCostsATurnAtMostTheBudgetAndOneNotice() async throws {
    var server = EmbeddingTestServer(.openai)
    let url = try #require(server?.openAIURL)
    let semantic = SemanticToolRanking(
        client: EmbeddingClient(api: .openAI, url: url, model: "bag-of-words"), store: nil, queryTimeoutMs: 100)
    let picker = ToolRanking(semantic: semantic)
    _ = await picker.pick(catalogue, for: "anything", k: 3)
    await semantic.settled()
    #expect(await picker.pick(catalogue, for: "list calendar events", k: 3).mode == "hybrid")
    server = nil  // the embedder stops (killed): its port refuses connections
    var notices: [String] = []
    for _ in 0..<5 {
        let t0 = MonotonicClock.nanoseconds()
        let turn = await picker.pick(catalogue, for: "send an email", k: 3)
        let ms = MonotonicClock.millisSince(t0)
        #expect(ms < 300, "the turn waited \(ms) ms on a 100 ms budget")
        #expect(turn.tools.first?.name == "mail__send_email")
        if let notice = turn.notice { notices.append(notice) }
    }
    #expect(notices.count == 1)
    #expect(notices.first?.contains("lexical only") == true)
}

/// An "installed embedder" as scripts/embedder.sh lays it out, whose server is EmbeddingTestServer's bag of words
/// on the port it is told: the launcher's part (start on loopback, wait, stop) is what is under test, not the model.
private let fakeEmbedder = #"""
    import os, sys
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "started"), "w") as f:
        f.write(" ".join(sys.argv[1:]))
    os.environ["EMBED_TEST_PORT"] = sys.argv[sys.argv.index("--port") + 1]
    sys.argv = [os.path.join(here, "server.py"), os.path.join(here, "port"), "openai"]
    exec(compile(open(sys.argv[0]).read(), sys.argv[0], "exec"))
    """#

@Test func anInstalledLocalEmbedderIsStartedInTheBackgroundAndStoppedAtShutdown() async throws {
    let home = TemporaryDirectory(prefix: "nexus-embedder")
    defer { home.remove() }
    try FileSystem.ensureDirectory(home.path + "/embedder")
    try FileSystem.ensureDirectory(home.path + "/embedder/venv")
    try FileSystem.ensureDirectory(home.path + "/embedder/venv/bin")
    home.write("embedder/venv/bin/python", "#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n", mode: 0o755)
    home.write("embedder/minilm-embed.py", fakeEmbedder)
    home.write("embedder/server.py", EmbeddingTestServer.script)
    // A port nothing listens on (a fixed one could be taken on a shared machine).
    let port = try #require(
        (0..<1_000).lazy.map { 20_000 + (Int(ProcessControl.currentID) * 7 + $0 * 131) % 40_000 }.first {
            !TCPProbe.isListening(host: "127.0.0.1", port: $0)
        })
    var config = EmbeddingsConfig()
    config.url = "http://127.0.0.1:\(port)/v1/embeddings"
    let semantic = try #require(
        SemanticToolRanking.make(config: config, environment: [:], database: nil, home: home.path))
    let picker = ToolRanking(semantic: semantic)
    let t0 = MonotonicClock.nanoseconds()
    let first = await picker.pick(catalogue, for: "list calendar events", k: 3)
    #expect(MonotonicClock.millisSince(t0) < 500)  // the turn does not wait for the embedder to start
    #expect(first.mode != "hybrid")
    await semantic.settled()
    let started = try FileSystem.readText(home.path + "/embedder/started")
    #expect(started.contains("serve --port \(port) --parent-pid \(ProcessControl.currentID)"))
    // A turn's query embedding gets 100 ms before the turn goes lexical; a loaded machine can miss that once, so the
    // spec asks a few turns (the embedder is up either way, and one of them must be hybrid).
    var hybrid = await picker.pick(catalogue, for: "list calendar events", k: 3)
    for _ in 0..<4 where hybrid.mode != "hybrid" {
        hybrid = await picker.pick(catalogue, for: "list calendar events", k: 3)
    }
    #expect(hybrid.mode == "hybrid")
    #expect(hybrid.tools.first?.name == "calendar__list_events")
    semantic.shutdown()
    #expect(!TCPProbe.isListening(host: "127.0.0.1", port: port))
}

@Test func aLoopbackURLWithNothingListeningAndNoEmbedderInstalledSaysHowToInstallIt() async throws {
    let home = TemporaryDirectory(prefix: "nexus-embedder")
    defer { home.remove() }
    var config = EmbeddingsConfig()
    config.url = "http://127.0.0.1:9/v1/embeddings"
    let semantic = try #require(
        SemanticToolRanking.make(config: config, environment: [:], database: nil, home: home.path))
    _ = semantic.index(for: catalogue, signature: 1)
    await semantic.settled()
    guard case .lexical(let reason) = semantic.mode else {
        Issue.record("\(semantic.mode)")
        return
    }
    #expect(reason.contains("scripts/embedder.sh setup"))
}

/// A context whose config is `toml`, in a fresh home (what `nexus doctor` probes with).
private func context(_ toml: String, home: TemporaryDirectory) throws -> NexusContext {
    let file = home.write("nexus.toml", toml)
    let paths = NexusPaths(home: home.path + "/home", configFile: file, configIsExplicit: true)
    let loaded = try ConfigLoader.load(text: toml, file: file, environment: [:])
    try NexusContext.prepareHome(paths)
    return NexusContext(
        paths: paths, config: loaded.config, warnings: loaded.warnings, database: try Database(path: paths.database),
        bus: EventBus(), environment: [:])
}

@Test func doctorSaysWhichPickerModeIsActiveAndKeysStoredVectorsByTheModelTheServerNames() async throws {
    let home = TemporaryDirectory(prefix: "nexus-probe")
    defer { home.remove() }
    #expect(await ToolPickerProbe.run(try context("", home: home)) == .lexicalOnly)

    // Installed local embedder, nothing listening yet: nexus will start it, so the doctor says so.
    try FileSystem.ensureDirectory(home.path + "/home/embedder")
    try FileSystem.ensureDirectory(home.path + "/home/embedder/venv")
    try FileSystem.ensureDirectory(home.path + "/home/embedder/venv/bin")
    home.write("home/embedder/venv/bin/python", "#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n", mode: 0o755)
    home.write("home/embedder/minilm-embed.py", fakeEmbedder)
    let loopback = "[embeddings]\nurl = \"http://127.0.0.1:9/v1/embeddings\"\n"
    #expect(
        await ToolPickerProbe.run(try context(loopback, home: home))
            == .startsOnDemand(url: "http://127.0.0.1:9/v1/embeddings", directory: home.path + "/home/embedder"))

    // A server that names its model: the stored vectors are counted under that name.
    let server = try #require(EmbeddingTestServer(.openai))
    server.answerAs(model: "served-name", dimensions: 16)
    let ctx = try context("[embeddings]\nurl = \"\(server.openAIURL)\"\n", home: home)
    try ToolEmbeddingRepository(db: ctx.database).store(model: "served-name", vectors: [("a tool", [1, 0])])
    #expect(
        await ToolPickerProbe.run(ctx)
            == .hybrid(model: "served-name", url: server.openAIURL, dimensions: 16, storedVectors: 1))
}

@Test func aLongTurnAndItsLastSentenceAreEmbeddedInOneRequest() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let semantic = ranking(server, store: nil)
    let picker = ToolRanking(semantic: semantic)
    _ = await picker.pick(catalogue, for: "anything", k: 3)
    await semantic.settled()
    let before = server.textsPerRequest.count
    _ = await picker.pick(catalogue, for: "send an email", k: 3)
    #expect(server.textsPerRequest.dropFirst(before) == [1])
    // Twenty-odd words of context, then what the user wants.
    let turn =
        "the thing number one for app one and thing number two for app two and thing number three are done. "
        + "send an email"
    let long = await picker.pick(catalogue, for: turn, k: 3)
    #expect(server.textsPerRequest.dropFirst(before + 1) == [2])
    #expect(long.mode == "hybrid")
    #expect(long.tools.map(\.name).contains("mail__send_email"))
}

@Test func anUninstalledToolsVectorOutlivesABriefAbsenceButNotAMonth() async throws {
    let server = try #require(EmbeddingTestServer(.openai))
    let store = ToolEmbeddingRepository(db: try Database(path: ":memory:"))
    // What a module removed forty days ago left behind, and one stopped since yesterday.
    let aged = WallClock.now() - 40 * 86_400
    let yesterday = WallClock.now() - 86_400
    for (text, at) in [("long gone: a tool nobody has", aged), ("stopped since yesterday", yesterday)] {
        try store.db.execute(
            """
            INSERT INTO tool_embeddings (model, text, dimension, vector, created_at, seen_at)
            VALUES ('bag-of-words', ?, 64, zeroblob(256), ?, ?)
            """, [.text(text), .double(at), .double(at)])
    }
    let semantic = ranking(server, store: store)
    let picker = ToolRanking(semantic: semantic)
    _ = await picker.pick(catalogue, for: "anything", k: 3)
    await semantic.settled()
    #expect(await picker.pick(catalogue, for: "list calendar events", k: 3).mode == "hybrid")
    let texts = Set(try store.db.query("SELECT text FROM tool_embeddings").compactMap { $0.text(0) })
    #expect(!texts.contains("long gone: a tool nobody has"))
    #expect(texts.contains("stopped since yesterday"))
    #expect(try store.count(model: "bag-of-words") == catalogue.count + 1)
}
