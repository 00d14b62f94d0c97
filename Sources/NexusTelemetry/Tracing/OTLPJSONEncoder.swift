import NexusCore

/// Writes spans as an OTLP `ExportTraceServiceRequest` in OTLP/JSON (the body of `POST /v1/traces` with
/// `Content-Type: application/json`).
///
/// Our own encoder rather than swift-otel: that package speaks OTLP over gRPC/protobuf and adds about
/// seven minutes to a clean build; the JSON mapping is small and fixed. Its rules, which differ from
/// plain proto3 JSON: trace and span ids are lowercase hex (not base64), 64-bit integers (times,
/// `intValue`) are decimal strings, enums (`kind`, `status.code`) are numbers, field names lowerCamelCase.
public struct OTLPJSONEncoder: Sendable {
    public var serviceName: String
    public var serviceVersion: String
    public var scopeName = "nexus"

    public init(serviceName: String, serviceVersion: String) {
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
    }

    /// One request body holding `spans` under one resource and one instrumentation scope.
    public func encode(_ spans: [Span]) -> [UInt8] {
        var out = "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
        Self.write(
            [
                SpanAttribute("service.name", .string(serviceName)),
                SpanAttribute("service.version", .string(serviceVersion)),
                SpanAttribute("telemetry.sdk.name", .string("nexus")),
                SpanAttribute("telemetry.sdk.language", .string("swift")),
            ], to: &out)
        out += "]},\"scopeSpans\":[{\"scope\":{\"name\":"
        JSONValue.writeString(scopeName, to: &out)
        out += ",\"version\":"
        JSONValue.writeString(serviceVersion, to: &out)
        out += "},\"spans\":["
        for (i, s) in spans.enumerated() {
            if i > 0 { out += "," }
            Self.write(s, to: &out)
        }
        out += "]}]}]}"
        return Array(out.utf8)
    }

    static func write(_ s: Span, to out: inout String) {
        out += "{\"traceId\":\"\(s.traceID.hex)\",\"spanId\":\"\(TraceIdentity.hex(s.spanID))\""
        if s.parentSpanID != 0 { out += ",\"parentSpanId\":\"\(TraceIdentity.hex(s.parentSpanID))\"" }
        out += ",\"name\":"
        JSONValue.writeString(s.name, to: &out)
        out += ",\"kind\":\(s.kind.rawValue)"
        out += ",\"startTimeUnixNano\":\"\(s.startUnixNs)\",\"endTimeUnixNano\":\"\(max(s.endUnixNs, s.startUnixNs))\""
        out += ",\"attributes\":["
        write(s.attributes, to: &out)
        out += "],\"events\":["
        for (i, e) in s.events.enumerated() {
            if i > 0 { out += "," }
            out += "{\"timeUnixNano\":\"\(e.timeUnixNs)\",\"name\":"
            JSONValue.writeString(e.name, to: &out)
            out += ",\"attributes\":["
            write(e.attributes, to: &out)
            out += "]}"
        }
        out += "],\"status\":"
        switch s.status {
        case .unset: out += "{}"
        case .ok: out += "{\"code\":1}"
        case .error(let message):
            out += "{\"code\":2,\"message\":"
            JSONValue.writeString(message, to: &out)
            out += "}"
        }
        out += "}"
    }

    static func write(_ attributes: [SpanAttribute], to out: inout String) {
        for (i, a) in attributes.enumerated() {
            if i > 0 { out += "," }
            out += "{\"key\":"
            JSONValue.writeString(a.key, to: &out)
            out += ",\"value\":{"
            switch a.value {
            case .string(let v):
                out += "\"stringValue\":"
                JSONValue.writeString(v, to: &out)
            case .int(let v): out += "\"intValue\":\"\(v)\""
            case .bool(let v): out += "\"boolValue\":\(v)"
            case .double(let v):
                // JSON has no NaN or infinity; OTLP/JSON writes them as strings.
                if v.isNaN {
                    out += "\"doubleValue\":\"NaN\""
                } else if v.isInfinite {
                    out += v > 0 ? "\"doubleValue\":\"Infinity\"" : "\"doubleValue\":\"-Infinity\""
                } else {
                    out += "\"doubleValue\":"
                    JSONValue.number(v).write(to: &out)
                }
            }
            out += "}}"
        }
    }
}
