// libFuzzer harness: every reader of outside text (JSON, TOML, SSE/NDJSON, the ReAct JSON repair) on text with long
// runs of combining marks, then what nexus does with the strings read: compare them with a word, hash, order, split.
// Oracle: every input within the time limit (run.sh gives this target -timeout=2). Swift's `String` puts a run of marks
// written out of canonical order in order before each of those, in quadratic time (a run of 20,000: about 0.3 s
// each), so an input whose run reaches one of them unordered is a finding; `MarkOrder` keeps every reader linear.
//
// The input is used as it is, except for three bytes that let a 4 KB input carry long runs:
//   0x01  20,000 combining marks of two classes, alternating (out of canonical order), as UTF-8
//   0x02  the same 20,000 written as \u escapes (JSON and TOML basic strings read them)
//   0x03  30 such marks (the longest run a reader keeps as written): several in a row make a longer run

private let heavyRun: [UInt8] = Array(String(repeating: "\u{0301}\u{0316}", count: 10_000).utf8)
private let escapedRun: [UInt8] = Array(String(repeating: "\\u0301\\u0316", count: 10_000).utf8)
private let shortRun: [UInt8] = Array(String(repeating: "\u{0301}\u{0316}", count: 15).utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMarks(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes: [UInt8] = []
    var heavy = 0
    for b in UnsafeBufferPointer(start: data, count: size) {
        switch b {
        // At most four long runs an input: what matters is that one reaches a comparison, not their number.
        case 0x01, 0x02:
            heavy += 1
            if heavy <= 4 { bytes += b == 0x01 ? heavyRun : escapedRun }
        case 0x03: bytes += shortRun
        default: bytes.append(b)
        }
    }
    if let value = try? JSONValue(parsing: bytes) { useAll(value) }
    if let table = try? TOMLParser.parse(bytes) {
        useAll(table)
        _ = try? ConfigDecoder.decode(table, source: "fuzz.toml", environment: [:])
    }
    var sse = SSEParser(maxLineBytes: 1 << 20)
    try? sse.feed(bytes) { event in
        use(event.event ?? "")
        use(event.id ?? "")
        if let value = try? JSONValue(parsing: event.data) { useAll(value) }
    }
    var ndjson = NDJSONParser(maxLineBytes: 1 << 20)
    try? ndjson.feed(bytes) { line, _ in if let value = try? JSONValue(parsing: line) { useAll(value) } }
    if case .success(let value) = JSONRepair.parse(String(decoding: bytes, as: UTF8.self)) { useAll(value) }
    return 0
}

/// What nexus does with a word from outside: compares it with its own, keeps it in a set, sorts and splits it.
private func use(_ s: String) {
    var hasher = Hasher()
    hasher.combine(s)
    _ = hasher.finalize()
    _ = s == "tools/call"
    _ = s < "m"
    _ = s.split(separator: "/").count
}

private func useAll(_ value: JSONValue) {
    switch value {
    case .string(let s): use(s)
    case .array(let items): items.forEach(useAll)
    case .object(let object):
        for (key, item) in object.pairs {
            use(key)
            useAll(item)
        }
    default: break
    }
}

private func useAll(_ table: TOMLTable) {
    for entry in table.entries {
        use(entry.key)
        useAll(entry.value)
    }
}

private func useAll(_ value: TOMLValue) {
    switch value.kind {
    case .string(let s): use(s)
    case .array(let items): items.forEach(useAll)
    case .table(let table): useAll(table)
    default: break
    }
}
