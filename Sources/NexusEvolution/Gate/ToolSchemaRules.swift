import NexusCore

/// What "every inputSchema is a valid JSON Schema object" means to the gate: an object schema
/// (`"type": "object"`), whose `properties` map names to schemas with known types, and whose `required`
/// names only properties it defines.
enum ToolSchemaRules {
    static let metaSchema: JSONValue = [
        "type": "object",
        "required": ["type"],
        "properties": [
            "type": ["const": "object"],
            "properties": [
                "type": "object",
                "additionalProperties": [
                    "type": "object",
                    "properties": [
                        "type": [
                            "anyOf": [
                                ["enum": typeNames],
                                ["type": "array", "minItems": 1, "items": ["enum": typeNames]],
                            ]
                        ],
                        "description": ["type": "string"],
                        "enum": ["type": "array", "minItems": 1],
                        "items": ["type": "object"],
                        "properties": ["type": "object"],
                        "required": ["type": "array", "items": ["type": "string"]],
                    ],
                ],
            ],
            "required": ["type": "array", "items": ["type": "string"]],
            "additionalProperties": ["type": ["boolean", "object"]],
        ],
    ]

    static let typeNames: JSONValue = ["object", "array", "string", "number", "integer", "boolean", "null"]

    static func requiredProblems(_ schema: JSONValue) -> [String] {
        let props = schema["properties"]?.objectValue
        var out: [String] = []
        for r in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where props?[r] == nil {
            out.append("inputSchema.required names \(JSONValue.string(r).serialized), which is not in properties")
        }
        return out
    }
}
