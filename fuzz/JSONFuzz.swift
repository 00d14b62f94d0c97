// libFuzzer harness: the JSON parser (model replies, tool output, JSON-RPC lines from modules).
// Oracle: no crash, no sanitizer report, and whatever parses serializes to text that parses to the same value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONValue(parsing: bytes) else { return 0 }
    let text = value.serialized
    guard let again = try? JSONValue(parsing: text) else {
        fatalError("serialized JSON does not parse: \(text.prefix(200))")
    }
    if !sameJSON(value, again) { fatalError("round trip changed the value: \(text.prefix(200))") }
    // JSON-RPC view of the same bytes, as the MCP client reads a frame.
    if case .object(let o) = value {
        _ = o["jsonrpc"]; _ = o["id"]; _ = o["method"]; _ = o["result"]; _ = o["error"]
    }
    return 0
}

/// Equality that treats NaN-free numbers by value (serialization may change a number's spelling).
func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }
