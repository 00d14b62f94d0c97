import NexusCore

/// Better tool descriptions from a model, for an OpenAPI build that may use one (issue 15: "with a model
/// configured, NEXUS may improve tool descriptions"). One batched call for every generated tool. The reply is
/// hostile input: only a JSON object of known tool names to strings is read, each string loses control and
/// format characters, is collapsed to one paragraph and cut to `maxLength`; names, schemas, paths and every
/// other file are never touched by it. Any failure (no model, an error, a reply that is not that object)
/// keeps the generated descriptions, with a note saying why. What was replaced is recorded, old and new, in
/// openapi_build.json, and the model is named in the proof.
public enum OpenAPIDescriptionImprover {
    /// Longest description kept from a model.
    public static let maxLength = 400
    /// Longest reply read; anything longer is refused whole.
    public static let maxReplyBytes = 256 << 10

    public struct Outcome: Sendable {
        /// The plan with the improved descriptions (unchanged on failure).
        public var plan: OpenAPIModulePlan
        /// One line for the proof and the turn's notices.
        public var note: String
        /// The model that answered, or nil when its answer was not used.
        public var model: String?
        public var tokensIn: Int
        public var tokensOut: Int
    }

    static let system = """
        You improve the descriptions of tools that an AI agent calls. Each tool is one operation of an HTTP API. \
        Write for the agent: say what the tool does and when to use it, in one or two plain sentences, at most \
        \(maxLength) characters. Do not invent behaviour the input does not state. Reply with only a JSON object \
        mapping each tool name to its new description, e.g. {"get_item": "Fetch one item by its id."}.
        """

    /// The request: every tool with its method, path, current description and argument names.
    static func prompt(_ plan: OpenAPIModulePlan) -> String {
        var tools: [JSONValue] = []
        for op in plan.operations {
            tools.append([
                "name": .string(op.tool), "method": .string(op.method), "path": .string(op.path),
                "description": .string(String(op.description.prefix(600))),
                "arguments": .array(op.arguments.map { .string($0.arg) }),
            ])
        }
        return "API: \(plan.title). \(plan.summary)\nTools (JSON):\n" + JSONValue.array(tools).serialized
    }

    /// Asks `model` once; never throws (a failure keeps the generated descriptions).
    public static func improve(_ plan: OpenAPIModulePlan, with model: any BuildModel) async -> Outcome {
        let reply: BuildModelReply
        do {
            reply = try await model.complete(stage: .generate, system: system, prompt: prompt(plan))
        } catch {
            let why = (error as? any UserFacingError)?.userMessage ?? "\(error)"
            return kept(plan, because: "the model call failed (\(sanitize(why, limit: 160) ?? "no reason given"))")
        }
        if reply.truncated || reply.text.utf8.count > maxReplyBytes {
            return kept(plan, because: "the model's reply was too large", reply)
        }
        guard let found = parse(reply.text, plan: plan) else {
            return kept(plan, because: "the model's reply was not a JSON object of tool names", reply)
        }
        if found.isEmpty { return kept(plan, because: "the model's reply named no tool with a usable text", reply) }
        var improved = plan
        for i in improved.operations.indices {
            guard let text = found[improved.operations[i].tool] else { continue }
            improved.generatedDescriptions[improved.operations[i].tool] = improved.operations[i].description
            improved.operations[i].description = text
        }
        let by = sanitize(reply.model, limit: 120) ?? "a model"
        improved.describedBy = by
        return Outcome(
            plan: improved, note: "descriptions: \(found.count) of \(plan.operations.count) improved by \(by)",
            model: by, tokensIn: reply.tokensIn, tokensOut: reply.tokensOut)
    }

    static func kept(_ plan: OpenAPIModulePlan, because why: String, _ reply: BuildModelReply? = nil) -> Outcome {
        Outcome(
            plan: plan, note: "descriptions: the generated ones are kept: \(why)", model: nil,
            tokensIn: reply?.tokensIn ?? 0, tokensOut: reply?.tokensOut ?? 0)
    }

    /// The reply's `{tool: description}` object (the whole reply, a fenced block, or the first `{...}` in it),
    /// keeping only known tools with a usable text. Nil when no such object can be read.
    static func parse(_ text: String, plan: OpenAPIModulePlan) -> [String: String]? {
        guard let object = firstObject(text) else { return nil }
        let known = Set(plan.operations.map(\.tool))
        var out: [String: String] = [:]
        for (name, value) in object.pairs where known.contains(name) {
            if let s = value.stringValue, let clean = sanitize(s, limit: maxLength) { out[name] = clean }
        }
        return out
    }

    /// The reply's JSON object, or the first `{…}` in it; nil when neither parses (the generated descriptions
    /// are kept then: a parse attempt with a fallback, no failure to report).
    static func firstObject(_ reply: String) -> JSONObject? {
        if let o = (try? JSONValue(parsing: reply))?.objectValue { return o }
        // Searched for braces character by character: long runs of combining marks in order first (`MarkOrder`).
        let text = MarkOrder.ordered(reply)
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        return (try? JSONValue(parsing: String(text[start...end])))?.objectValue
    }

    /// One paragraph of printable text: control and format characters (C0, C1, DEL, bidi overrides,
    /// zero-width) become spaces, runs of white space one space, at most `limit` characters. Nil when empty.
    static func sanitize(_ s: String, limit: Int) -> String? {
        var out = ""
        var space = false
        for scalar in s.unicodeScalars {
            let drop: Bool
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                drop = true
            default:
                drop = scalar.properties.isWhitespace
            }
            if drop {
                space = !out.isEmpty
                continue
            }
            if space { out.unicodeScalars.append(" ") }
            space = false
            out.unicodeScalars.append(scalar)
        }
        if out.isEmpty { return nil }
        if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
        return out
    }
}
