import NexusCore
import NexusModules
import NexusPOSIX

/// Two tools that need no module, so the tool loop works (and can be tested) before any module is
/// installed: `time_now` and `calc`.
public struct BuiltinTools: ToolSource {
    public init() {}

    public static let definitions: [ToolDefinition] = [
        ToolDefinition(
            name: "time_now",
            description:
                "Current date and time. Returns ISO 8601 in UTC, the Unix time, and the time at an optional UTC offset.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "utc_offset_hours": [
                        "type": "number", "description": "Hours east of UTC for a local time, e.g. 1 or -5.5",
                    ]
                ],
            ]),
        ToolDefinition(
            name: "calc",
            description:
                "Evaluate an arithmetic expression exactly: + - * / % ^, parentheses, sqrt, abs, round, floor, ceil, ln, log10, sin, cos, tan, pi, e.",
            inputSchema: [
                "type": "object",
                "properties": ["expression": ["type": "string", "description": "e.g. (2+3)*4^2 or sqrt(2)"]],
                "required": ["expression"],
            ]),
    ]

    public func tools() async -> [ToolDefinition] { Self.definitions }

    /// The built-ins never change while the process runs: one version for its life.
    static let version = ToolsGeneration.next()
    public func versionedTools() async -> VersionedTools {
        VersionedTools(version: Self.version, tools: Self.definitions)
    }

    public func owns(_ toolName: String) async -> Bool { Self.definitions.contains { $0.name == toolName } }

    public func call(_ call: ToolCall, approval: any ApprovalHandler) async -> ToolResult {
        switch call.name {
        case "time_now":
            // A wrong type is said, never read as "no offset": the model would take UTC for the time it asked.
            let offset = call.arguments["utc_offset_hours"]
            if let offset, !offset.isNull, offset.doubleValue == nil {
                return ToolResult(
                    callID: call.id, name: call.name,
                    content: "time_now: \"utc_offset_hours\" must be a number, got \(offset.kindName)", isError: true)
            }
            return ToolResult(
                callID: call.id, name: call.name, content: Self.timeNow(offsetHours: offset?.doubleValue))
        case "calc":
            guard let expr = call.arguments["expression"]?.stringValue else {
                let got = call.arguments["expression"].map { ", got \($0.kindName)" } ?? ""
                return ToolResult(
                    callID: call.id, name: call.name, content: "calc: \"expression\" must be a string\(got)",
                    isError: true)
            }
            do {
                let v = try ArithmeticExpression.evaluate(expr)
                return ToolResult(callID: call.id, name: call.name, content: ArithmeticExpression.format(v))
            } catch {
                return ToolResult(callID: call.id, name: call.name, content: "calc: \(error)", isError: true)
            }
        default:
            return ToolResult(callID: call.id, name: call.name, content: "unknown tool \(call.name)", isError: true)
        }
    }

    static func timeNow(offsetHours: Double?) -> String {
        let unix = Int(WallClock.now().rounded(.down))
        var out = "utc: \(iso8601(unix)) unix: \(unix)"
        if let h = offsetHours, h.isFinite, abs(h) <= 14 {
            let local = unix + Int((h * 3600).rounded())
            let sign = h < 0 ? "-" : "+"
            let mins = Int(abs(h) * 60)
            let off = "\(sign)\(pad2(mins / 60)):\(pad2(mins % 60))"
            out += " local: \(iso8601(local, suffix: off))"
        }
        return out
    }

    static func iso8601(_ unix: Int, suffix: String = "Z") -> String {
        CalendarTime(utc: unix).formatted(separator: "T") + suffix
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
