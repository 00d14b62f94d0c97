#if canImport(Glibc)
    import Glibc
#endif

/// An incremental newline-delimited JSON splitter (Ollama's native stream): bytes in, one line per
/// JSON document out, with its 1-based line number for error messages.
///
/// Reads split lines anywhere; the partial line is kept between calls. CRLF is accepted, blank lines are
/// skipped, and a line longer than `maxLineBytes` is reported rather than buffered forever. JSON
/// decoding is the caller's, so a malformed line is reported with its line number and never crashes.
public struct NDJSONParser: Sendable {
    public let maxLineBytes: Int
    private var carry: [UInt8] = []
    private var lineNumber = 0
    private var offset = 0

    public init(maxLineBytes: Int = 16 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    public mutating func feed(_ bytes: [UInt8], _ emit: (_ line: [UInt8], _ lineNumber: Int) throws -> Void) throws {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    public mutating func feed(
        _ buf: UnsafeRawBufferPointer, _ emit: (_ line: [UInt8], _ lineNumber: Int) throws -> Void
    ) throws {
        guard let base = buf.baseAddress, buf.count > 0 else { return }
        var i = 0
        let n = buf.count
        while i < n {
            guard let p = memchr(base + i, 0x0A, n - i) else {
                if carry.count + (n - i) > maxLineBytes {
                    throw StreamFramingError(
                        message: "an NDJSON line is longer than \(maxLineBytes) bytes", offset: offset + i)
                }
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i..<n]))
                break
            }
            let end = base.distance(to: UnsafeRawPointer(p))
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i..<end]))
            try flushLine(emit)
            i = end + 1
        }
        offset += n
    }

    /// The stream ended: a last line without its newline is still delivered.
    public mutating func finish(_ emit: (_ line: [UInt8], _ lineNumber: Int) throws -> Void) throws {
        if !carry.isEmpty { try flushLine(emit) }
    }

    private mutating func flushLine(_ emit: (_ line: [UInt8], _ lineNumber: Int) throws -> Void) throws {
        lineNumber += 1
        if carry.last == 0x0D { carry.removeLast() }
        defer { carry.removeAll(keepingCapacity: true) }
        if carry.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        try emit(carry, lineNumber)
    }
}
