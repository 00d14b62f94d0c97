import NexusCore

/// The build model of an `--openapi` build: it answers the build loop's one generation request with the
/// generator's files, so the OpenAPI path goes through the same workspace, gate, proof, approval,
/// install, credentials and live test as a model-written module. With `--no-model`, or no model
/// configured, no model is called at all; otherwise `describer` is asked once to improve the tool
/// descriptions (`OpenAPIDescriptionImprover`), and the files are rendered again with them.
public struct OpenAPIBuildModel: BuildModel {
    /// The generated files (descriptions from the spec).
    public let files: BuildFileSet
    let plan: OpenAPIModulePlan
    let source: String
    /// The model that may improve the descriptions; nil calls none.
    public var describer: (any BuildModel)?
    /// Told the outcome of the description step (one line), for the turn's notices.
    public var report: (@Sendable (String) -> Void)?

    /// What the proof names as the generate stage's model when no model took part.
    public static let label = "openapi:generator"

    /// Generates from the request (spec errors are `OpenAPIError`, exit 2, before any workspace exists).
    public init(_ request: BuildArguments.OpenAPIRequest, name: String?) throws(OpenAPIError) {
        try self.init(document: try OpenAPIDocument.load(path: request.spec), request, name: name)
    }

    /// Generates from a document already read (a spec URL is fetched by the orchestrator, which has HTTP).
    public init(document: OpenAPIDocument, _ request: BuildArguments.OpenAPIRequest, name: String?) throws(OpenAPIError)
    {
        let out = try OpenAPIGenerator.generate(
            document,
            options: OpenAPIOptions(
                name: name, operations: request.operations, baseURL: request.baseURL, farm: request.farm))
        self.files = out.files
        self.plan = out.plan
        self.source = document.source
    }

    public func complete(stage: BuildStage, system: String, prompt: String) async throws -> BuildModelReply {
        guard let describer else {
            return BuildModelReply(
                text: files.json.serialized, model: Self.label, tokensIn: 0, tokensOut: 0, truncated: false)
        }
        let outcome = await OpenAPIDescriptionImprover.improve(plan, with: describer)
        report?(outcome.note)
        var model = Self.label + " (" + outcome.note + ")"
        var text = files.json.serialized
        if let by = outcome.model {
            model = Self.label + ", descriptions by " + by
            text = OpenAPIGenerator.render(outcome.plan, source: source).files.json.serialized
        }
        return BuildModelReply(
            text: text, model: model, tokensIn: outcome.tokensIn, tokensOut: outcome.tokensOut, truncated: false)
    }
}
