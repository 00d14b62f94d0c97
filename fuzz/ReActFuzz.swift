// libFuzzer harness: the lenient reader of small models' JSON tool replies (hostile model output).
// Oracle: no crash or sanitizer report, bounded work; whatever it returns serializes and parses again.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReAct(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case .success(let value) = JSONRepair.parse(text) {
        guard (try? JSONValue(parsing: value.serialized)) != nil else { fatalError("repaired JSON does not parse") }
    }
    return 0
}
