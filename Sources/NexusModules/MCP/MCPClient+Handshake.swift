import NexusCore
import Synchronization

/// Which protocol era a server speaks, found once per process: MCP 2026-07-28 (modern) has no handshake and
/// wants protocol fields in every request's `_meta`; 2025-11-25 and older (legacy) want `initialize`.
///
/// The stdio rule of 2026-07-28 (basic/transports/stdio, "Backward Compatibility"): probe with
/// `server/discover`; a `DiscoverResult` means modern; a recognised modern error (unsupported version)
/// means modern with another version; any other error, or no answer in reasonable time, means legacy.
/// A Python server can take seconds to start, so "no answer yet" is not "legacy": when the probe has no
/// answer within `MCPLimits.discoverTimeout`, `initialize` is sent behind it and whichever settles the
/// question first wins (a server answers in order, so a modern one's `DiscoverResult` comes first).
/// A server that ignores the probe therefore costs at most `discoverTimeout` once; one that answers it
/// with an error (every Python and TypeScript SDK server of the legacy era) costs one round trip.
extension MCPClient {
    /// The JSON-RPC error code a modern server answers for a version it does not speak (-32004 in drafts).
    static let unsupportedVersionCodes: Set<Int> = [-32022, -32004]

    /// Finds the era and opens the connection: the discover probe, else `initialize` + `notifications/initialized`.
    public func initialize() async throws {
        guard limits.discoverTimeout > 0 else {
            return try await finishLegacy(try await initializeRequest(offering: nil))
        }
        let version = Self.modernProtocolVersions[0]
        let params: JSONValue = ["_meta": .object(Self.modernMeta(version: version))]
        let seconds = limits.handshakeTimeout
        let discover = Task { try await self.request("server/discover", params: params, timeout: seconds) }
        let window = min(limits.discoverTimeout, limits.handshakeTimeout)
        if case .first(let answer) = await Self.race(discover, nil, window: window) {
            guard case .legacy(let offered) = try era(from: answer) else { return }
            return try await finishLegacy(try await initializeRequest(offering: offered))
        }
        let initialize = Task { try await self.initializeRequest(offering: nil) }
        switch await Self.race(discover, initialize, window: nil) {
        case .first(let answer):
            // The probe settled first: modern, or legacy with `initialize` already on its way.
            guard case .legacy = try era(from: answer) else { return }
            try await finishLegacy(try await initialize.value)
        case .second(.success(let result)):
            discover.cancel()
            try await finishLegacy(result)
        case .second(.failure(let error)):
            // `initialize` refused: a modern-only server slow to answer the probe still may.
            guard case .modern = try era(from: await discover.result) else { throw error }
        case .window:
            throw MCPError.notConnected(module: module)
        }
    }

    enum Era {
        case modern
        /// Legacy; the versions a modern-era error listed, if it named only legacy ones.
        case legacy([String]?)
    }

    /// What the probe's answer says about the server; a modern answer is adopted here.
    private func era(from answer: Result<JSONValue, any Error>) throws -> Era {
        switch answer {
        case .success(let result):
            // Not a DiscoverResult (a sloppy legacy server answers every unknown method with `{}`): legacy.
            guard let versions = result["supportedVersions"]?.arrayValue else {
                log.note("server/discover: the answer has no supportedVersions; using the initialize handshake")
                return .legacy(nil)
            }
            let offered = versions.compactMap(\.stringValue)
            guard let chosen = Self.modernProtocolVersions.first(where: offered.contains) else {
                let legacy = offered.filter(Self.supportedProtocolVersions.contains)
                if !legacy.isEmpty { return .legacy(legacy) }
                throw unsupported(offered.first ?? "(none)")
            }
            let server = result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"]?.stringValue
            adopt(version: chosen, serverName: server)
            return .modern
        case .failure(let error):
            guard let e = error as? MCPError else { throw error }
            switch e {
            case .versionRejected(_, _, let supported):
                // Only one modern version exists, and it was the one asked for: legacy ones, or none.
                let legacy = supported.filter(Self.supportedProtocolVersions.contains)
                if !legacy.isEmpty { return .legacy(legacy) }
                throw unsupported(supported.first ?? "(none)")
            case .rpcError, .timeout, .unusableAnswer, .badResponse, .cancelled:
                log.note("server/discover: \(e.userMessage); using the initialize handshake")
                return .legacy(nil)
            default:
                throw e
            }
        }
    }

    enum Race {
        case first(Result<JSONValue, any Error>)
        case second(Result<JSONValue, any Error>)
        case window
    }

    /// Whichever of `a`, `b` or the `window` timer settles first. The others run on unobserved (each
    /// request has its own timeout), so this returns at once without waiting for them.
    static func race(_ a: Task<JSONValue, any Error>, _ b: Task<JSONValue, any Error>?, window: Double?) async -> Race {
        let first = Mutex<CheckedContinuation<Race, Never>?>(nil)
        let offer: @Sendable (Race) -> Void = { r in
            first.withLock { c in
                c?.resume(returning: r)
                c = nil
            }
        }
        return await withCheckedContinuation { (c: CheckedContinuation<Race, Never>) in
            first.withLock { $0 = c }
            Task { offer(.first(await a.result)) }
            if let b { Task { offer(.second(await b.result)) } }
            if let window {
                Task {
                    // Task.sleep throws only on cancellation, which the caller checks next.
                    try? await Task.sleep(nanoseconds: Seconds.nanoseconds(window))
                    offer(.window)
                }
            }
        }
    }

    private func unsupported(_ version: String) -> MCPError {
        let all = Self.modernProtocolVersions + Self.supportedProtocolVersions
        let e = MCPError.unsupportedProtocol(module: module, version: version, supported: all)
        log.note(e.userMessage)
        return e
    }

    private func adopt(version: String, serverName: String?) {
        state.withLock {
            $0.protocolVersion = version
            $0.modern = true
            $0.serverName = serverName
            $0.phase = "a call"
        }
    }

    /// The `initialize` request. `offering`: the versions a modern server's error named; the newest of
    /// them nexus speaks is asked for.
    func initializeRequest(offering: [String]?) async throws -> JSONValue {
        let params: JSONValue = [
            "protocolVersion": .string(offering?.first ?? Self.supportedProtocolVersions[0]),
            "capabilities": [:],
            "clientInfo": Self.clientInfo,
        ]
        return try await request("initialize", params: params, timeout: limits.handshakeTimeout)
    }

    /// Version negotiation on `initialize`'s answer, then `notifications/initialized`.
    private func finishLegacy(_ result: JSONValue) async throws {
        guard let version = result["protocolVersion"]?.stringValue else {
            throw MCPError.badResponse(module: module, method: "initialize", detail: "no protocolVersion in the result")
        }
        guard Self.supportedProtocolVersions.contains(version) else {
            let e = MCPError.unsupportedProtocol(
                module: module, version: version, supported: Self.supportedProtocolVersions)
            log.note(e.userMessage)
            throw e
        }
        state.withLock {
            $0.protocolVersion = version
            $0.serverName = result["serverInfo"]?["name"]?.stringValue
            $0.phase = "a call"
        }
        try notify("notifications/initialized", params: nil)
    }

    static let clientInfo: JSONValue = ["name": "nexus", "version": "0.1.0"]

    /// The fields MCP 2026-07-28 requires in every request's `_meta`.
    static func modernMeta(version: String) -> JSONObject {
        JSONObject([
            ("io.modelcontextprotocol/protocolVersion", .string(version)),
            ("io.modelcontextprotocol/clientInfo", clientInfo),
            ("io.modelcontextprotocol/clientCapabilities", [:]),
        ])
    }

    /// `params` with `_meta` filled in: `traceparent` always, the modern fields when `modernVersion` is set.
    /// Keys the caller already put in `_meta` win; params that are not an object are sent as they are.
    static func withMeta(_ params: JSONValue?, traceparent: String, modernVersion: String?) -> JSONValue? {
        if let params, params.objectValue == nil { return params }
        var p = params?.objectValue ?? JSONObject()
        var meta = modernVersion.map(modernMeta) ?? JSONObject()
        meta["traceparent"] = .string(traceparent)
        for (k, v) in p["_meta"]?.objectValue?.pairs ?? [] { meta[k] = v }
        p["_meta"] = .object(meta)
        return .object(p)
    }
}
