import NexusCore

/// Writes a generated module's `test_adapter.py`: one test per operation against a MockTransport whose
/// routes come from the spec (its examples, else values built from its schemas), checking the result and
/// the exact request (method, percent-encoded path, query, auth headers, JSON body); paginated operations
/// are served three pages; one test turns an HTTP 404 into a tool error. Expected values are computed
/// here, not by the adapter's code, so a mutant of the adapter cannot agree with its own mistake.
enum OpenAPITestWriter {
    static func write(_ plan: OpenAPIModulePlan) -> String {
        var env = JSONObject()
        var tokenRoutes: [JSONValue] = []
        for s in plan.usedSchemes {
            for c in s.credentials { env[OpenAPINaming.env(module: plan.name, credential: c)] = .string("test-\(c)") }
            if s.kind == .oauth2 {
                tokenRoutes.append([
                    "method": "POST", "url": .string(plan.absolute(s.tokenURL)),
                    "json": ["access_token": "test-token", "expires_in": 3600, "token_type": "bearer"],
                ])
            }
        }
        let tokenURLs = JSONValue.array(tokenRoutes.compactMap { $0["url"] })
        var s = """
            \"\"\"Generated tests for \(plan.name): one per operation, against a mock built from the OpenAPI document.\"\"\"
            from __future__ import annotations

            import json
            import os
            import sys
            import unittest
            import urllib.parse

            HERE = os.path.dirname(os.path.abspath(__file__))
            sys.path.insert(0, HERE)
            from adapter import \(plan.className)  # noqa: E402
            from nexus_adapter import MockTransport, ToolError  # noqa: E402

            J = json.loads
            ENV = \(lit(JSONValue.object(env)))
            TOKEN_ROUTES = \(lit(JSONValue.array(tokenRoutes)))
            TOKEN_URLS = \(lit(tokenURLs))


            def adapter(routes):
                mock = MockTransport(TOKEN_ROUTES + routes)
                return \(plan.className)(transport=mock, env=dict(ENV)), mock


            class OperationTests(unittest.TestCase):
                def check(self, tool, args, routes, expected, method, path, query, headers, body):
                    module, mock = adapter(routes)
                    self.assertEqual(module.call_tool(tool, args), expected)
                    calls = [r for r in mock.requests if r.url not in TOKEN_URLS]
                    first = calls[0]
                    self.assertEqual(first.method, method)
                    parts = urllib.parse.urlsplit(first.url)
                    self.assertEqual(parts.path, path)
                    self.assertEqual(dict(urllib.parse.parse_qsl(parts.query)), query)
                    for name, value in headers.items():
                        self.assertEqual(first.headers.get(name), value)
                    if body is not None:
                        self.assertEqual(json.loads(first.body), body)
                    return calls

            """
        for op in plan.operations {
            let c = testCase(op, plan: plan)
            s += """

                    def test_\(op.tool)(self):
                        calls = self.check(\(OpenAPIAdapterWriter.pyString(op.tool)), \(lit(c.args)),
                                           \(lit(c.routes)),
                                           \(lit(c.expected)), \(OpenAPIAdapterWriter.pyString(op.method)),
                                           \(lit(JSONValue.string(c.path))), \(lit(c.query)),
                                           \(lit(c.headers)), \(lit(c.body)))
                        self.assertEqual(len(calls), \(c.calls))

                """
        }
        if let op = plan.operations.first {
            let c = testCase(op, plan: plan)
            let route: JSONValue = [
                "method": .string(op.method), "url": .string(c.url), "status": 404,
                "json": ["message": "no such thing here"],
            ]
            s += """

                    def test_http_errors_become_tool_errors_with_status_and_body(self):
                        module, _ = adapter([\(lit(route))])
                        with self.assertRaisesRegex(ToolError, "^\(op.tool): HTTP 404: .*no such thing here"):
                            module.call_tool(\(OpenAPIAdapterWriter.pyString(op.tool)), \(lit(c.args)))

                """
        }
        if let (op, arg) = dotTarget(plan) {
            let c = testCase(op, plan: plan, override: (arg, ".."))
            s += """

                    def test_path_values_of_only_dots_stay_inside_the_operation_path(self):
                        self.check(\(OpenAPIAdapterWriter.pyString(op.tool)), \(lit(c.args)),
                                   \(lit(c.routes)),
                                   \(lit(c.expected)), \(OpenAPIAdapterWriter.pyString(op.method)),
                                   \(lit(JSONValue.string(c.path))), \(lit(c.query)),
                                   \(lit(c.headers)), \(lit(c.body)))

                """
        }
        s += """


            if __name__ == "__main__":
                unittest.main()

            """
        return s
    }

    /// A Python expression for a JSON value: a string literal, or `J(r"""...""")` for anything else (a raw
    /// triple-quoted string cannot end a JSON string, but arrays and objects end with ] or }).
    static func lit(_ v: JSONValue) -> String {
        if case .string(let s) = v { return OpenAPIAdapterWriter.pyString(s) }
        return "J(r\"\"\"" + v.serialized + "\"\"\")"
    }

    struct Case {
        var args: JSONValue
        var routes: JSONValue
        var expected: JSONValue
        var url: String
        var path: String
        var query: JSONValue
        var headers: JSONValue
        var body: JSONValue
        var calls: Int
    }

    /// The first operation with a path argument that can carry text (a string, untyped, no enum): the one
    /// the dot-segment test calls with `..`. Nil when no argument can (then `_segment` has no dots branch).
    static func dotTarget(_ plan: OpenAPIModulePlan) -> (op: OpenAPIOperation, arg: String)? {
        for op in plan.operations {
            for a in op.arguments where a.location == .path {
                let type = a.schema["type"]?.stringValue
                if type == nil || type == "string", a.schema["enum"] == nil { return (op, a.arg) }
            }
        }
        return nil
    }

    static func testCase(_ op: OpenAPIOperation, plan: OpenAPIModulePlan, override: (String, JSONValue)? = nil)
        -> Case
    {
        var args = JSONObject()
        var path = op.path
        var query = JSONObject()
        var headers = JSONObject()
        var body: JSONValue = .null
        let paging = op.pagination
        for a in op.arguments {
            let include = a.location == .path || a.required || a.location == .body || a.location == .wholeBody
            guard include, a.name != paging?.param else { continue }
            var v =
                a.location == .path
                ? OpenAPISample.pathValue(a.schema, name: a.arg) : OpenAPISample.value(a.schema, name: a.arg)
            if a.name == paging?.sizeParam { v = 1 }
            if case .array(let items) = v, items.count > 1 { v = .array([items[0]]) }
            if let override, override.0 == a.arg { v = override.1 }
            args[a.arg] = v
            switch a.location {
            case .path: path = path.replacing("{\(a.name)}", with: segment(text(v)))
            case .query: query[a.name] = .string(text(v.arrayValue?.first ?? v))
            case .header: headers[a.name] = .string(text(v))
            case .cookie: headers["Cookie"] = .string("\(a.name)=\(text(v))")
            case .wholeBody: body = v
            case .body:
                var o = body.objectValue ?? JSONObject()
                o[a.name] = v
                body = .object(o)
            }
        }
        for key in op.security {
            guard let s = plan.schemes.first(where: { $0.key == key }) else { continue }
            let secret = s.credentials.map { "test-\($0)" }
            switch s.kind {
            case .bearer: headers["Authorization"] = .string("Bearer " + secret[0])
            case .basic: headers["Authorization"] = .string("Basic " + base64(secret[0] + ":" + secret[1]))
            case .oauth2: headers["Authorization"] = "Bearer test-token"
            case .apiKey:
                switch s.location {
                case "query": query[s.parameter] = .string(secret[0])
                case "cookie": headers["Cookie"] = .string("\(s.parameter)=\(secret[0])")
                default: headers[s.parameter] = .string(secret[0])
                }
            }
        }
        let url = plan.baseURL + path
        let urlPath = plan.basePath + path
        let method = JSONValue.string(op.method)
        var routes: [JSONValue] = []
        var expected: JSONValue
        var calls = 1
        if let p = paging {
            let item = itemSample(op.responseSchema, path: p.itemsPath)
            let page1 = wrap([item], p, cursor: p.style == .cursor ? "c2" : nil)
            let page2 = wrap([item], p, cursor: nil)
            let empty = wrap([], p, cursor: nil)
            switch p.style {
            case .page:
                let q = p.param ?? "page"
                routes = [
                    ["method": method, "url": .string(url), "query": [q: "1"], "json": page1],
                    ["method": method, "url": .string(url), "query": [q: "2"], "json": page2],
                    ["method": method, "url": .string(url), "json": empty],
                ]
                query[q] = "1"
            case .offset:
                let q = p.param ?? "offset"
                routes = [
                    ["method": method, "url": .string(url), "query": [q: "0"], "json": page1],
                    ["method": method, "url": .string(url), "query": [q: "1"], "json": page2],
                    ["method": method, "url": .string(url), "json": empty],
                ]
                query[q] = "0"
            case .cursor:
                let q = p.param ?? "cursor"
                routes = [
                    ["method": method, "url": .string(url), "query": [q: "c2"], "json": page2],
                    ["method": method, "url": .string(url), "json": page1],
                ]
            case .link:
                let next = url + "?nexus_page=2"
                routes = [
                    ["method": method, "url": .string(url), "query": ["nexus_page": "2"], "json": page2],
                    [
                        "method": method, "url": .string(url), "json": page1,
                        "headers": ["Link": .string("<\(next)>; rel=\"next\"")],
                    ],
                ]
            }
            expected = [item, item]
            calls = p.style == .page || p.style == .offset ? 3 : 2
        } else {
            expected = op.responseExample ?? op.responseSchema.map { OpenAPISample.value($0) } ?? ["ok": true]
            if expected.isNull { expected = ["ok": true] }
            routes = [["method": method, "url": .string(url), "json": expected]]
        }
        return Case(
            args: .object(args), routes: .array(routes), expected: expected, url: url, path: urlPath,
            query: .object(query), headers: .object(headers), body: body, calls: calls)
    }

    static func itemSample(_ schema: JSONValue?, path: [String]) -> JSONValue {
        var s = schema
        for k in path { s = s?["properties"]?[k] }
        let item = OpenAPISample.value(s?["items"])
        return item.isNull ? ["id": 1] : item
    }

    static func wrap(_ items: [JSONValue], _ p: OpenAPIPagination, cursor: String?) -> JSONValue {
        guard !p.itemsPath.isEmpty else { return .array(items) }
        var root = JSONObject()
        set(&root, p.itemsPath, .array(items))
        if p.style == .cursor, !p.cursorPath.isEmpty { set(&root, p.cursorPath, cursor.map { .string($0) } ?? .null) }
        return .object(root)
    }

    static func set(_ obj: inout JSONObject, _ path: [String], _ value: JSONValue) {
        guard let first = path.first else { return }
        if path.count == 1 {
            obj[first] = value
            return
        }
        var inner = obj[first]?.objectValue ?? JSONObject()
        set(&inner, Array(path.dropFirst()), value)
        obj[first] = .object(inner)
    }

    /// What Python's str() of the adapter's _text(value) gives.
    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .null: return "None"
        default: return v.serialized
        }
    }

    /// What the adapter's `_segment` sends: the percent-encoded value, and a value of only dots as `%2E`s.
    static func segment(_ s: String) -> String {
        let e = percentEncode(s)
        return e.allSatisfy { $0 == "." } ? String(repeating: "%2E", count: e.count) : e
    }

    /// urllib.parse.quote(value, safe=""): everything but A-Z a-z 0-9 _ . - ~ as %XX of its UTF-8 bytes.
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "_.-~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPad(2)
            }
        }
        return out
    }

    static func base64(_ s: String) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let bytes = Array(s.utf8)
        var out = ""
        var i = 0
        while i < bytes.count {
            let n = bytes.count - i
            let b0 = Int(bytes[i])
            let b1 = n > 1 ? Int(bytes[i + 1]) : 0
            let b2 = n > 2 ? Int(bytes[i + 2]) : 0
            out.append(table[b0 >> 2])
            out.append(table[((b0 & 3) << 4) | (b1 >> 4)])
            out.append(n > 1 ? table[((b1 & 15) << 2) | (b2 >> 6)] : "=")
            out.append(n > 2 ? table[b2 & 63] : "=")
            i += 3
        }
        return out
    }
}

extension String {
    fileprivate func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
