import NexusCore

/// Finds how a GET operation pages (issue 15): a `Link` response header, a cursor parameter with a
/// next-cursor field in the response, offset/limit, or page/per_page. Needs the items' place in the
/// response; without one the operation is not paginated.
enum OpenAPIPaginationDetector {
    static let cursorParams = [
        "cursor", "page_token", "pagetoken", "after", "starting_after", "continuation_token", "next",
    ]
    static let cursorFields = ["next_cursor", "nextCursor", "next", "nextPageToken", "next_page_token", "cursor"]
    static let sizeParams = ["per_page", "perpage", "page_size", "pagesize", "limit", "size", "count"]
    static let itemKeys = ["data", "items", "results", "records", "entries", "values"]

    static func detect(
        args: [OpenAPIArgument], response: JSONValue?, op: JSONValue, resolver: OpenAPISchemaResolver
    ) -> OpenAPIPagination? {
        let query = args.filter { $0.location == .query }
        func find(_ names: [String]) -> String? {
            for n in names {
                if let a = query.first(where: { $0.name.lowercased() == n.lowercased() }) { return a.name }
            }
            return nil
        }
        guard let response, let items = itemsPath(response) else { return nil }
        let size = find(sizeParams)
        let hasLink = (op["responses"]?.objectValue?.pairs ?? []).contains { code, r in
            code.hasPrefix("2")
                && resolver.deref(r)["headers"]?.objectValue?.keys.contains { $0.lowercased() == "link" } == true
        }
        if hasLink {
            return OpenAPIPagination(
                style: .link, param: find(["page", "offset"]), sizeParam: size, itemsPath: items, cursorPath: [])
        }
        if let c = find(cursorParams), let field = cursorPath(response) {
            return OpenAPIPagination(style: .cursor, param: c, sizeParam: size, itemsPath: items, cursorPath: field)
        }
        if let o = find(["offset", "start", "skip"]) {
            return OpenAPIPagination(style: .offset, param: o, sizeParam: size, itemsPath: items, cursorPath: [])
        }
        if let p = find(["page", "page_number", "pagenumber"]) {
            return OpenAPIPagination(style: .page, param: p, sizeParam: size, itemsPath: items, cursorPath: [])
        }
        return nil
    }

    /// Where the item array is: the response itself, or a top-level array property (preferring usual names).
    static func itemsPath(_ schema: JSONValue) -> [String]? {
        if schema["type"]?.stringValue == "array" { return [] }
        guard let props = schema["properties"]?.objectValue else { return nil }
        let arrays = props.pairs.filter { $0.1["type"]?.stringValue == "array" }.map(\.0)
        if let k = itemKeys.first(where: arrays.contains) { return [k] }
        return arrays.count == 1 ? [arrays[0]] : nil
    }

    /// A next-cursor field at the top level or one object deeper (`meta.next_cursor`).
    static func cursorPath(_ schema: JSONValue) -> [String]? {
        guard let props = schema["properties"]?.objectValue else { return nil }
        if let f = cursorFields.first(where: { props[$0] != nil }) { return [f] }
        for (k, v) in props.pairs {
            if let inner = v["properties"]?.objectValue, let f = cursorFields.first(where: { inner[$0] != nil }) {
                return [k, f]
            }
        }
        return nil
    }
}
