import NexusCore
import NexusLLM
import NexusModules
import NexusStore
import Synchronization

/// The picker's semantic half at run time: tool vectors embedded in the background when the installed set
/// changes (read from SQLite first, so a restart embeds only what is new), and each turn's query embedded
/// within `[embeddings] query_timeout_ms`.
///
/// Never required. Until the tool vectors are ready, when the server is unreachable or slow, or when the
/// privacy mode forbids a remote endpoint, the turn is picked lexically; the first such fall-back of a
/// session says why in one notice. A model change misses every stored key and re-embeds in the background.
final class SemanticToolRanking: Sendable {
    /// What `nexus doctor` and the notice report.
    enum Mode: Sendable, Equatable {
        case hybrid(tools: Int)
        case embedding(tools: Int)
        case lexical(reason: String)
    }

    let client: EmbeddingClient
    let store: ToolEmbeddingRepository?
    let queryTimeoutMs: Int
    let remote: Bool
    /// Starts the installed local embedder when the URL is on loopback and nothing answers there.
    let launcher: EmbedderLauncher?

    private struct State {
        var signature: Int?
        var index: SemanticIndex?
        /// The tools of `signature`, so a model or dimension change seen on a turn re-embeds them at once.
        var tools: [ToolDefinition] = []
        /// The current model's vectors by text: what a changed tool set is indexed from at once, before the
        /// background task has embedded the new tools (the index updates incrementally, never goes dark).
        var known: [String: [Float]] = [:]
        /// The model the server says it runs, and its vector size, as of the last build.
        var model: String?
        var dimension: Int?
        var task: Task<Void, Never>?
        var failure: String?
        /// A problem that did not stop the semantic half (a vector write that failed), told once.
        var note: String?
        var noticeGiven = false
    }
    private let state = Mutex(State())

    init(
        client: EmbeddingClient, store: ToolEmbeddingRepository?, queryTimeoutMs: Int,
        launcher: EmbedderLauncher? = nil
    ) {
        self.client = client
        self.store = store
        self.queryTimeoutMs = queryTimeoutMs
        self.launcher = launcher
        remote = !Endpoint.isLoopback(url: client.url)
    }

    /// From `[embeddings]`; nil when no endpoint is configured. With `home`, a loopback URL that nothing answers
    /// starts the embedder `scripts/embedder.sh setup` installed there.
    static func make(
        config: EmbeddingsConfig, environment: [String: String], database: Database?, home: String? = nil
    ) -> SemanticToolRanking? {
        guard config.enabled else { return nil }
        let key = config.apiKeyEnv.isEmpty ? nil : environment[config.apiKeyEnv]
        let client = EmbeddingClient(
            api: EmbeddingClient.API(rawValue: config.api) ?? .openAI, url: config.url, model: config.model, apiKey: key
        )
        return SemanticToolRanking(
            client: client, store: database.map(ToolEmbeddingRepository.init(db:)),
            queryTimeoutMs: config.queryTimeoutMs,
            launcher: home.flatMap { EmbedderLauncher(home: $0, url: config.url) })
    }

    /// Stops the embedder this session started, if any (at shutdown).
    func shutdown() {
        state.withLock { $0.task?.cancel() }
        launcher?.stop()
    }

    var mode: Mode {
        state.withLock { s in
            if let failure = s.failure { return .lexical(reason: failure) }
            if let index = s.index { return .hybrid(tools: index.embedded) }
            return .embedding(tools: 0)
        }
    }

    /// The semantic index of `tools` when it is ready. A new set starts a background task that first indexes it
    /// from the vectors already known (tools not embedded yet are found lexically only), then embeds only its
    /// new texts: no turn waits for either (re-indexing 10,000 tools takes 170 ms in a debug build).
    func index(for tools: [ToolDefinition], signature: Int) -> SemanticIndex? {
        state.withLock { s in
            if s.signature != signature { restart(&s, tools: tools, signature: signature) }
            return s.index
        }
    }

    private func restart(_ s: inout State, tools: [ToolDefinition], signature: Int) {
        s.signature = signature
        s.tools = tools
        s.index = nil
        s.failure = nil
        s.task?.cancel()
        s.task = Task.detached(priority: .utility) { [self] in await self.build(tools, signature: signature) }
    }

    /// Waits for the background embedding of the current set (tests, `nexus doctor`).
    func settled() async {
        let task = state.withLock { $0.task }
        await task?.value
    }

    /// Tools are embedded in batches of this many texts: one request each, stored in one transaction each.
    static let batchSize = 64

    /// A stored vector whose text no installed tool has shown for this long (30 days) is deleted.
    static let retireAfterSeconds: Double = 30 * 86_400

    func build(_ tools: [ToolDefinition], signature: Int) async {
        let texts = tools.map(ToolText.embedding(of:))
        let (known0, dimension0) = state.withLock { ($0.known, $0.dimension) }
        if let dimension0, !known0.isEmpty {
            let interim = SemanticIndex(dimension: dimension0, vectors: texts.map { known0[$0] })
            if interim.embedded > 0 {
                state.withLock { s in if s.signature == signature && s.index == nil { s.index = interim } }
            }
        }
        guard let first = texts.first else {
            state.withLock { s in if s.signature == signature { s.index = SemanticIndex(dimension: 0, vectors: []) } }
            return
        }
        // One text first: the server says which model it runs and how long its vectors are. Either may have
        // changed since the vectors were stored (another backend behind the same URL and name).
        let probe: EmbeddingClient.Answer
        do throws(EmbeddingError) {
            try await launcher?.ensureRunning()
            probe = try await client.embedAnswer([first], timeout: 60)
        } catch {
            fail(error.userMessage, signature: signature, fatal: true)
            return
        }
        guard let firstVector = probe.vectors.first else { return }
        let model = probe.model.flatMap { $0.isEmpty ? nil : $0 } ?? client.model
        let dimension = firstVector.count
        var known: [String: [Float]] = state.withLock { s in
            guard s.model == model, s.dimension == dimension else {
                if let old = s.dimension, s.signature == signature {
                    let was = "\(s.model ?? client.model), \(old) dimensions"
                    s.note =
                        "embedding model changed (\(was) → \(model), \(dimension)); "
                        + "re-embedding the tools in the background"
                }
                return [:]
            }
            return s.known
        }
        do {
            let stored = try store?.vectors(model: model, texts: texts, dimension: dimension) ?? [:]
            known.merge(stored) { mine, _ in mine }
        } catch {
            fail(
                "stored embeddings unreadable (\(error.userMessage)); embedding again", signature: signature,
                fatal: false)
        }
        known[first] = firstVector
        let missing = Array(Set(texts.filter { known[$0] == nil })).sorted()
        var fresh: [(text: String, vector: [Float])] = [(first, firstVector)]
        var start = 0
        while start < missing.count {
            if Task.isCancelled { return }
            let batch = Array(missing[start..<min(start + Self.batchSize, missing.count)])
            start += Self.batchSize
            let vectors: [[Float]]
            do { vectors = try await client.embed(batch, timeout: 60) } catch {
                fail(error.userMessage, signature: signature, fatal: true)
                return
            }
            guard vectors.allSatisfy({ $0.count == dimension }) else {
                let sizes = Set(vectors.map(\.count)).sorted().map(String.init).joined(separator: ", ")
                fail(
                    "\(client.url) changed its vector size while embedding (\(dimension) → \(sizes))",
                    signature: signature, fatal: true)
                return
            }
            for (t, v) in zip(batch, vectors) { known[t] = v }
            fresh += zip(batch, vectors).map { ($0, $1) }
            storeVectors(&fresh, model: model, signature: signature)
        }
        storeVectors(&fresh, model: model, signature: signature)
        let wanted = Set(texts)
        known = known.filter { wanted.contains($0.key) }
        let index = SemanticIndex(dimension: dimension, vectors: texts.map { known[$0] })
        let changed = state.withLock { s -> Bool in
            guard s.signature == signature else { return false }
            let changed = s.model != model || s.dimension != dimension
            s.index = index
            s.known = known
            s.model = model
            s.dimension = dimension
            return changed
        }
        if changed || !missing.isEmpty, let store {
            do { try store.forget(except: model, dimension: dimension) } catch {
                fail("could not drop the vectors of other models: \(error)", signature: signature, fatal: false)
            }
        }
        if let store {
            do { try store.retire(model: model, keeping: texts, unseenFor: Self.retireAfterSeconds) } catch {
                fail("could not drop the vectors of tools gone: \(error)", signature: signature, fatal: false)
            }
        }
    }

    /// Writes the vectors embedded since the last write; the vectors stay in memory for this session when the
    /// write fails, and only the next start pays for them again.
    private func storeVectors(_ fresh: inout [(text: String, vector: [Float])], model: String, signature: Int) {
        guard !fresh.isEmpty, let store else { return }
        do { try store.store(model: model, vectors: fresh) } catch {
            fail("could not store embeddings: \(error)", signature: signature, fatal: false)
        }
        fresh = []
    }

    private func fail(_ reason: String, signature: Int, fatal: Bool) {
        state.withLock { s in
            guard s.signature == signature else { return }
            if fatal { s.failure = reason } else { s.note = reason }
        }
    }

    /// The pending non-fatal problem (e.g. vectors that could not be stored), handed out once.
    func takeNote() -> String? {
        state.withLock { s in
            defer { s.note = nil }
            return s.note.map { "tool picker: \($0)" }
        }
    }

    /// The turn's query vectors within the budget (one request: the turn, and a long turn's tail, see
    /// `QueryTexts`), or the reason there are none. A vector from another model or of another size than the tool
    /// vectors (the server was swapped) is not used: the tools are re-embedded in the background and the turn is
    /// picked lexically.
    func queryVectors(_ text: String, privacy: PrivacyMode) async -> Result<[[Float]], EmbeddingError> {
        if remote && privacy == .localOnly {
            return .failure(.unreachable(url: client.url, reason: "privacy is local-only and the endpoint is not"))
        }
        let client = self.client
        let budget = queryTimeoutMs
        // Not a task group: it would wait for the embedding task, however long its answer takes to parse.
        let late: @Sendable () -> Result<EmbeddingClient.Answer, EmbeddingError> = {
            .failure(.timedOut(url: client.url, milliseconds: budget))
        }
        let answer = await Deadline.race(milliseconds: budget, late: late) {
            do throws(EmbeddingError) {
                let texts = QueryTexts.forEmbedding(text)
                return .success(try await client.embedAnswer(texts, timeout: Double(budget) / 1000))
            } catch { return .failure(error) }
        }
        switch answer {
        case .failure(let error): return .failure(error)
        case .success(let a):
            guard let vector = a.vectors.first else {
                return .failure(.malformed(url: client.url, reason: "no vector"))
            }
            let vectors = a.vectors.filter { $0.count == vector.count }
            let model = a.model.flatMap { $0.isEmpty ? nil : $0 } ?? client.model
            return state.withLock { s in
                guard let index = s.index, let known = s.dimension, let signature = s.signature,
                    index.dimension != vector.count || s.model != model
                else { return .success(vectors) }
                let was = "\(s.model ?? client.model), \(known) dimensions"
                restart(&s, tools: s.tools, signature: signature)
                return .failure(
                    .malformed(
                        url: client.url,
                        reason: "it now answers \(model), \(vector.count) dimensions, where the tool vectors are "
                            + "\(was); re-embedding the tools in the background"))
            }
        }
    }

    /// The one notice of a session's first fall-back to lexical picking, then nil.
    func noticeOnce(_ reason: String) -> String? {
        state.withLock { s in
            guard !s.noticeGiven else { return nil }
            s.noticeGiven = true
            return "tool picker: lexical only this turn (\(reason))"
        }
    }
}
