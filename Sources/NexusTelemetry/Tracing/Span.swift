import NexusCore

/// One finished span, in OpenTelemetry's model (trace, span and parent ids, kind, times since the Unix
/// epoch, attributes, events, status), ready for the OTLP encoder. It exists so the event-to-span logic
/// (`SpanBuilder`) and the wire format (`OTLPJSONEncoder`) can be tested apart.
public struct Span: Sendable, Equatable {
    /// OTLP's `SpanKind` numbers.
    public enum Kind: Int, Sendable {
        case `internal` = 1
        case server = 2
        case client = 3
    }

    /// OTLP's `Status`: unset (0), ok (1) or error (2) with a message.
    public enum Status: Sendable, Equatable {
        case unset
        case ok
        case error(String)
    }

    public var traceID: TraceID
    public var spanID: UInt64
    /// 0 for a root span.
    public var parentSpanID: UInt64
    public var name: String
    public var kind: Kind
    public var startUnixNs: UInt64
    public var endUnixNs: UInt64
    public var attributes: [SpanAttribute]
    public var events: [SpanEvent]
    public var status: Status

    public init(
        traceID: TraceID, spanID: UInt64, parentSpanID: UInt64, name: String, kind: Kind = .internal,
        startUnixNs: UInt64, endUnixNs: UInt64 = 0, attributes: [SpanAttribute] = [], events: [SpanEvent] = [],
        status: Status = .unset
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startUnixNs = startUnixNs
        self.endUnixNs = endUnixNs
        self.attributes = attributes
        self.events = events
        self.status = status
    }

    /// The value of attribute `key`, if set.
    public func attribute(_ key: String) -> SpanAttribute.Value? {
        attributes.last { $0.key == key }?.value
    }

    /// Sets `key` (replacing an earlier value).
    public mutating func set(_ key: String, _ value: SpanAttribute.Value) {
        if let i = attributes.firstIndex(where: { $0.key == key }) {
            attributes[i].value = value
        } else {
            attributes.append(SpanAttribute(key, value))
        }
    }
}

/// A key and a typed value, as OTLP's `KeyValue` / `AnyValue` carry them.
public struct SpanAttribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
    }

    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }
}

/// Something that happened at one instant inside a span (a module's health change, a vault access).
public struct SpanEvent: Sendable, Equatable {
    public var timeUnixNs: UInt64
    public var name: String
    public var attributes: [SpanAttribute]

    public init(timeUnixNs: UInt64, name: String, attributes: [SpanAttribute] = []) {
        self.timeUnixNs = timeUnixNs
        self.name = name
        self.attributes = attributes
    }
}
