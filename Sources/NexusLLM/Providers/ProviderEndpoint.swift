import NexusCore

/// Everything a provider needs to reach its server: resolved base URL, credentials and limits.
///
/// Built once by `ProviderFactory` from a `ProviderConfig` and the environment, so providers never read
/// the environment themselves and tests can point them at a fake server.
public struct ProviderEndpoint: Sendable {
    public var name: String
    public var kind: ProviderKind
    /// API root without a trailing slash (e.g. `https://api.openai.com/v1`).
    public var baseURL: String
    /// The key itself, read from `apiKeyEnv`; nil when not set or not needed.
    public var apiKey: String?
    /// The environment variable the key comes from, named in "unauthorized" errors.
    public var apiKeyEnv: String?
    public var isLocal: Bool
    public var connectTimeout: Double
    public var readTimeout: Double
    public var extraHeaders: [(String, String)]
    /// Models the configuration lists, returned when the server cannot be asked.
    public var configuredModels: [String]
    public var http: HTTPClient

    public init(
        name: String, kind: ProviderKind, baseURL: String, apiKey: String? = nil, apiKeyEnv: String? = nil,
        isLocal: Bool = false, connectTimeout: Double = 10, readTimeout: Double = 120,
        extraHeaders: [(String, String)] = [], configuredModels: [String] = [], http: HTTPClient = HTTPClient()
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.name = name
        self.kind = kind
        self.baseURL = base
        self.apiKey = apiKey
        self.apiKeyEnv = apiKeyEnv
        self.isLocal = isLocal
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.extraHeaders = extraHeaders
        self.configuredModels = configuredModels
        self.http = http
    }

    /// A request to `{baseURL}{path}` with this endpoint's timeouts, extra headers and JSON body.
    func request(
        _ method: HTTPRequest.Method, path: String, headers: [(String, String)], json: JSONValue? = nil,
        readTimeout: Double? = nil
    ) -> HTTPRequest {
        var all = headers
        if let json {
            all.append(("Content-Type", "application/json"))
            return HTTPRequest(
                method: method, url: baseURL + path, headers: all + extraHeaders, body: Array(json.serialized.utf8),
                connectTimeout: connectTimeout, readTimeout: readTimeout ?? self.readTimeout, label: name)
        }
        return HTTPRequest(
            method: method, url: baseURL + path, headers: all + extraHeaders, connectTimeout: connectTimeout,
            readTimeout: readTimeout ?? self.readTimeout, label: name)
    }

    /// Fails early, naming the variable, when a cloud provider has no key to send.
    func requireKey() throws {
        if isLocal { return }
        if let env = apiKeyEnv, apiKey?.isEmpty ?? true {
            throw ProviderError(
                .unauthorized(envVar: env), provider: name, message: "no API key: \(env) is not set")
        }
    }

    /// GETs a small JSON document (model lists), classifying HTTP errors like a completion would.
    func getJSON(path: String, headers: [(String, String)]) async throws -> JSONValue {
        let req = request(.get, path: path, headers: headers, readTimeout: min(readTimeout, 15))
        let (head, body) = try await http.fetch(req, limit: 4 << 20)
        guard (200..<300).contains(head.status) else {
            throw ProviderErrorClassifier.basicError(status: head.status, head: head, body: body, endpoint: self)
        }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw ProviderError(
                .invalidResponse, provider: name,
                message:
                    "\(baseURL + path) did not return JSON: \(ProviderErrorClassifier.summarize(body: body, contentType: head.header("content-type")))"
            )
        }
    }
}
