import NexusCore

/// One tool argument and where it goes in the HTTP request.
public struct OpenAPIArgument: Sendable, Equatable {
    public enum Location: String, Sendable {
        case path, query, header, cookie, body
        case wholeBody = "body_whole"
    }
    /// The tool's argument name (snake_case, unique within the tool).
    public var arg: String
    /// The name on the wire (path template name, query key, header, body field).
    public var name: String
    public var location: Location
    public var required: Bool
    public var schema: JSONValue
}

/// How an operation pages through results, detected from its parameters and response (issue 15).
public struct OpenAPIPagination: Sendable, Equatable {
    public enum Style: String, Sendable { case page, offset, cursor, link }
    public var style: Style
    /// The query parameter that moves: page number, offset, or cursor.
    public var param: String?
    /// The page size parameter (per_page, limit), when there is one.
    public var sizeParam: String?
    /// Where the items are in a response object; empty when the response is the array itself.
    public var itemsPath: [String]
    /// Where the next cursor is in a response object (cursor style).
    public var cursorPath: [String]
}

/// A security scheme as the module applies it, with the credentials it declares.
public struct OpenAPISecurityScheme: Sendable, Equatable {
    public enum Kind: String, Sendable { case apiKey, bearer, basic, oauth2 }
    public var key: String
    public var kind: Kind
    /// apiKey: header, query or cookie.
    public var location: String
    /// apiKey: the header, query or cookie name.
    public var parameter: String
    /// oauth2 client credentials: the token endpoint.
    public var tokenURL: String
    public var scopes: [String]
    /// Credential names in the manifest (`<key>`, `<key>_username`/`_password`, `<key>_client_id`/`_secret`).
    public var credentials: [String]
}

/// One operation of the spec, ready to become a tool.
public struct OpenAPIOperation: Sendable, Equatable {
    public var tool: String
    public var operationID: String?
    public var method: String
    public var path: String
    public var description: String
    public var arguments: [OpenAPIArgument]
    /// The tool's inputSchema (an object schema).
    public var inputSchema: JSONValue
    /// Scheme keys applied together (the first alternative of the operation's or the document's `security`).
    public var security: [String]
    public var pagination: OpenAPIPagination?
    /// The first 2xx JSON response's schema (resolved) and example, for the generated tests.
    public var responseSchema: JSONValue?
    public var responseExample: JSONValue?
}
