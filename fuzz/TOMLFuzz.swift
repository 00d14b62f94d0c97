// libFuzzer harness: the TOML parser and config decoder (nexus.toml is user input).
// Oracle: no crash or sanitizer report; a parsed document decodes or fails with a ConfigError, never traps;
// every string value written back by TOMLWriter parses to the same string.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTOML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let table = try? TOMLParser.parse(bytes) else { return 0 }
    _ = try? ConfigDecoder.decode(table, source: "fuzz.toml", environment: [:])
    for entry in table.entries {
        guard case .string(let s) = entry.value.kind else { continue }
        let line = "k = " + TOMLWriter.string(s)
        guard let back = try? TOMLParser.parse(line), case .string(let t)? = back.entry("k")?.value.kind else {
            fatalError("TOMLWriter.string output does not parse: \(line.prefix(200))")
        }
        if t != s { fatalError("TOML string round trip changed \(s.debugDescription.prefix(100))") }
    }
    return 0
}
