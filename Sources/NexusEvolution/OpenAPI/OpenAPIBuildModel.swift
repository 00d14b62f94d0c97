import NexusCore

/// The build model of an `--openapi` build: it answers the build loop's one generation request with the
/// generator's files, so the OpenAPI path goes through the same workspace, gate, proof, approval,
/// install, credentials and live test as a model-written module, and no model is called at all.
public struct OpenAPIBuildModel: BuildModel {
    public let files: BuildFileSet

    public init(files: BuildFileSet) { self.files = files }

    /// Generates from the request (spec errors are `OpenAPIError`, exit 2, before any workspace exists).
    public init(_ request: BuildArguments.OpenAPIRequest, name: String?) throws(OpenAPIError) {
        try self.init(document: try OpenAPIDocument.load(path: request.spec), request, name: name)
    }

    /// Generates from a document already read (a spec URL is fetched by the orchestrator, which has HTTP).
    public init(document: OpenAPIDocument, _ request: BuildArguments.OpenAPIRequest, name: String?) throws(OpenAPIError)
    {
        let out = try OpenAPIGenerator.generate(
            document, options: OpenAPIOptions(name: name, operations: request.operations, baseURL: request.baseURL))
        self.files = out.files
    }

    public func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
        let text = files.json.serialized
        return BuildModelReply(text: text, model: "openapi:generator", tokensIn: 0, tokensOut: 0, truncated: false)
    }
}
