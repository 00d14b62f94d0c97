// libFuzzer harness: the SSE and NDJSON stream parsers (bytes from model servers).
// Oracle: the events are the same whether the bytes arrive whole or split at any point (reads split
// streams anywhere), and nothing traps. The first byte picks the split point.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreams(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let cut = bytes.isEmpty ? 0 : Int(data[0]) % (bytes.count + 1)

    func sse(_ chunks: [[UInt8]]) -> [SSEEvent]? {
        var p = SSEParser(maxLineBytes: 4096)
        var out: [SSEEvent] = []
        do { for c in chunks { try p.feed(c) { out.append($0) } } } catch { return nil }
        return out
    }
    let whole = sse([bytes])
    let split = sse([Array(bytes[..<cut]), Array(bytes[cut...])])
    if let whole, let split, whole != split { fatalError("SSE events depend on where the stream was split (\(cut))") }

    func nd(_ chunks: [[UInt8]]) -> [[UInt8]]? {
        var p = NDJSONParser(maxLineBytes: 4096)
        var out: [[UInt8]] = []
        do {
            for c in chunks { try p.feed(c) { line, _ in out.append(line) } }
            try p.finish { line, _ in out.append(line) }
        } catch { return nil }
        return out
    }
    let a = nd([bytes])
    let b = nd([Array(bytes[..<cut]), Array(bytes[cut...])])
    if let a, let b, a != b { fatalError("NDJSON lines depend on where the stream was split (\(cut))") }
    return 0
}
