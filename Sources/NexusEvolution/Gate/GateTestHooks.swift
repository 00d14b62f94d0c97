import NexusCore

/// What tests compare against the repository's files (the compiled-in manifest schema), without making
/// the gate's internals public.
public enum GateTestHooks {
    public static var manifestSchema: JSONValue { ManifestCheck.schema }
    /// JSON Schema problems of `value` against `schema` (the gate's own validator).
    public static func schemaProblems(_ value: JSONValue, _ schema: JSONValue) -> [String] {
        JSONSchemaCheck.problems(value, against: schema)
    }
}
