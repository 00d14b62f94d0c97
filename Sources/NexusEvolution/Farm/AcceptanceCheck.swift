import NexusCore

/// One acceptance check's expectation against the tool result the model saw: `is_error` (+ `text`),
/// `length` of a list, `contains` (a subset of an object), `last` (a subset of the last list item). One rule for
/// the gate's contract check and `nexus bench openapi`.
public enum AcceptanceCheck {
    public static func problem(result: String?, expect: JSONValue, status: Int32) -> String? {
        guard let result else { return "no tool result reached the model (exit \(status))" }
        let isError = result.hasPrefix("ERROR: ")
        if expect["is_error"]?.boolValue == true {
            if !isError { return "expected an error, got \(result.prefix(120))" }
            if let t = expect["text"]?.stringValue, !result.contains(t) {
                return "error lacks '\(t)': \(result.prefix(160))"
            }
            return nil
        }
        if isError { return String(result.prefix(200)) }
        // The else branch reports it.
        guard let value = try? JSONValue(parsing: result) else { return "result is not JSON: \(result.prefix(120))" }
        if let n = expect["length"]?.intValue, value.arrayValue?.count != n {
            return "expected \(n) items, got \(value.arrayValue.map { String($0.count) } ?? value.kindName)"
        }
        if let c = expect["contains"], !contains(value, c) {
            return "expected \(c.serialized.prefix(100)) in \(result.prefix(160))"
        }
        if let l = expect["last"], !contains(value.arrayValue?.last ?? .null, l) {
            return "last item is not \(l.serialized.prefix(80))"
        }
        return nil
    }

    public static func contains(_ value: JSONValue, _ subset: JSONValue) -> Bool {
        guard case .object(let want) = subset else { return value == subset }
        return want.pairs.allSatisfy { k, v in value[k].map { contains($0, v) } ?? false }
    }
}
