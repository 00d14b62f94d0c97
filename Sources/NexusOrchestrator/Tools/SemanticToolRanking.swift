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

    private struct State {
        var signature: Int?
        var index: SemanticIndex?
        var task: Task<Void, Never>?
        var failure: String?
        /// A problem that did not stop the semantic half (a vector write that failed), told once.
        var note: String?
        var noticeGiven = false
    }
    private let state = Mutex(State())

    init(client: EmbeddingClient, store: ToolEmbeddingRepository?, queryTimeoutMs: Int) {
        self.client = client
        self.store = store
        self.queryTimeoutMs = queryTimeoutMs
        remote = !Endpoint.isLoopback(url: client.url)
    }

    /// From `[embeddings]`; nil when no endpoint is configured.
    static func make(config: EmbeddingsConfig, environment: [String: String], database: Database?)
        -> SemanticToolRanking?
    {
        guard config.enabled else { return nil }
        let key = config.apiKeyEnv.isEmpty ? nil : environment[config.apiKeyEnv]
        let client = EmbeddingClient(
            api: EmbeddingClient.API(rawValue: config.api) ?? .openAI, url: config.url, model: config.model, apiKey: key
        )
        return SemanticToolRanking(
            client: client, store: database.map(ToolEmbeddingRepository.init(db:)),
            queryTimeoutMs: config.queryTimeoutMs)
    }

    var mode: Mode {
        state.withLock { s in
            if let failure = s.failure { return .lexical(reason: failure) }
            if let index = s.index { return .hybrid(tools: index.embedded) }
            return .embedding(tools: 0)
        }
    }

    /// The semantic index of `tools` when it is ready; a new set starts embedding in the background.
    func index(for tools: [ToolDefinition], signature: Int) -> SemanticIndex? {
        state.withLock { s in
            if s.signature == signature { return s.index }
            s.signature = signature
            s.index = nil
            s.failure = nil
            s.task?.cancel()
            s.task = Task.detached(priority: .utility) { [self] in await self.build(tools, signature: signature) }
            return nil
        }
    }

    /// Waits for the background embedding of the current set (tests, `nexus doctor`).
    func settled() async {
        let task = state.withLock { $0.task }
        await task?.value
    }

    func build(_ tools: [ToolDefinition], signature: Int) async {
        let texts = tools.map(ToolText.embedding(of:))
        var known: [String: [Float]] = [:]
        do { known = try store?.vectors(model: client.model, texts: texts) ?? [:] } catch {
            fail(
                "stored embeddings unreadable (\(error.userMessage)); embedding again", signature: signature,
                fatal: false)
        }
        let missing = Array(Set(texts.filter { known[$0] == nil })).sorted()
        var start = 0
        while start < missing.count {
            if Task.isCancelled { return }
            let batch = Array(missing[start..<min(start + 64, missing.count)])
            start += 64
            let vectors: [[Float]]
            do { vectors = try await client.embed(batch, timeout: 60) } catch {
                fail(error.userMessage, signature: signature, fatal: true)
                return
            }
            for (t, v) in zip(batch, vectors) { known[t] = v }
            do { try store?.store(model: client.model, vectors: zip(batch, vectors).map { ($0, $1) }) } catch {
                // The vectors are in memory for this session; only the next start pays for them again.
                fail("could not store embeddings: \(error)", signature: signature, fatal: false)
            }
        }
        let dimension = known.values.first?.count ?? 0
        let index = SemanticIndex(dimension: dimension, vectors: texts.map { known[$0] })
        state.withLock { s in if s.signature == signature { s.index = index } }
        if !missing.isEmpty, let store {
            do { try store.forget(except: client.model) } catch {
                fail("could not drop the vectors of other models: \(error)", signature: signature, fatal: false)
            }
        }
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

    /// The turn's query vector within the budget, or the reason there is none.
    func queryVector(_ text: String, privacy: PrivacyMode) async -> Result<[Float], EmbeddingError> {
        if remote && privacy == .localOnly {
            return .failure(.unreachable(url: client.url, reason: "privacy is local-only and the endpoint is not"))
        }
        let client = self.client
        let budget = queryTimeoutMs
        // Not a task group: it would wait for the embedding task, however long its answer takes to parse.
        let late: @Sendable () -> Result<[Float], EmbeddingError> = {
            .failure(.timedOut(url: client.url, milliseconds: budget))
        }
        return await Deadline.race(milliseconds: budget, late: late) {
            do throws(EmbeddingError) {
                let v = try await client.embed([text], timeout: Double(budget) / 1000)
                return v.first.map { .success($0) } ?? .failure(.malformed(url: client.url, reason: "no vector"))
            } catch { return .failure(error) }
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
