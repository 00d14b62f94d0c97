/// `[telemetry]`: where traces go (issue 16). Off unless `otlp_endpoint` is set.
public struct TelemetryConfig: Sendable, Equatable {
    /// An OTLP/HTTP collector's base URL (`http://127.0.0.1:4318`); spans are POSTed to `{it}/v1/traces`
    /// as OTLP/JSON. nil: no tracing at all.
    public var otlpEndpoint: String?
    /// `service.name` of every span's resource.
    public var serviceName = "nexus"
    /// Seconds one export request may take before its batch is dropped (never a turn's time).
    public var timeoutSeconds = 3.0
    public init() {}
}

extension ConfigDecoder {
    static let telemetryKeys = ["otlp_endpoint", "service_name", "timeout_seconds"]

    mutating func decodeTelemetry(_ v: TOMLValue) throws(ConfigError) {
        let t = try table(v, "telemetry")
        warnUnknownKeys(in: t, path: "telemetry", known: Self.telemetryKeys)
        if let x = t["otlp_endpoint"], x.string != "" {  // "" is off, as when the key is absent
            config.telemetry.otlpEndpoint = try url(x, "telemetry.otlp_endpoint")
        }
        if let x = t["service_name"] {
            let name = try string(x, "telemetry.service_name")
            guard !name.isEmpty, name.count <= 128 else {
                throw fail(x, "telemetry.service_name", expected: "a name of 1 to 128 characters")
            }
            config.telemetry.serviceName = name
        }
        if let x = t["timeout_seconds"] {
            let s = try seconds(x, "telemetry.timeout_seconds")
            guard s <= 60 else { throw fail(x, "telemetry.timeout_seconds", expected: "at most 60 seconds") }
            config.telemetry.timeoutSeconds = s
        }
    }
}
