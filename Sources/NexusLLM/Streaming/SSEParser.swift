import NexusCore

#if canImport(Glibc)
    import Glibc
#endif

/// One Server-Sent Event: its `event:` name (nil means the default "message"), its `data:` lines joined
/// with "\n", and the last `id:` seen.
public struct SSEEvent: Sendable, Equatable {
    public var event: String?
    public var data: [UInt8]
    public var id: String?

    public init(event: String? = nil, data: [UInt8], id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// Why a byte stream could not be read as SSE or NDJSON, and where.
public struct StreamFramingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Byte offset in the stream where the problem was seen.
    public var offset: Int
    public var description: String { "\(message) (at byte \(offset) of the stream)" }
}

/// An incremental Server-Sent Events parser (WHATWG "event stream" rules): bytes in, events out.
///
/// Providers stream tokens as SSE; reads split events anywhere (mid-line, mid-CRLF, mid-UTF-8), so
/// this keeps a partial line between calls. Comments (`:`) and unknown fields are ignored, LF, CRLF and
/// CR all end lines, and one leading space after the colon is dropped. A single line larger than
/// `maxLineBytes` is reported instead of growing without bound. Scanning uses memchr, so throughput is
/// set by memory bandwidth rather than per-byte Swift code.
public struct SSEParser: Sendable {
    public let maxLineBytes: Int
    private var carry: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventName: String?
    private var lastID: String?
    /// The previous chunk ended with CR: a leading LF in the next one belongs to that line break.
    private var skipLF = false
    private var offset = 0

    public init(maxLineBytes: Int = 16 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds a chunk of bytes; calls `emit` for every event completed by it.
    public mutating func feed(_ bytes: [UInt8], _ emit: (SSEEvent) throws -> Void) throws {
        try bytes.withUnsafeBytes { try feed($0, emit) }
    }

    public mutating func feed(_ buf: UnsafeRawBufferPointer, _ emit: (SSEEvent) throws -> Void) throws {
        guard let base = buf.baseAddress, buf.count > 0 else { return }
        var i = 0
        let n = buf.count
        if skipLF {
            skipLF = false
            if buf[0] == 0x0A { i = 1 }
        }
        let hasCR = memchr(base, 0x0D, n) != nil
        while i < n {
            // Find the end of the line: LF (fast path, memchr) or CR when the chunk has any.
            var end = -1
            if let p = memchr(base + i, 0x0A, n - i) {
                end = base.distance(to: UnsafeRawPointer(p))
            }
            if hasCR {
                let limit = end < 0 ? n : end
                if let p = memchr(base + i, 0x0D, limit - i) { end = base.distance(to: UnsafeRawPointer(p)) }
            }
            if end < 0 {
                if carry.count + (n - i) > maxLineBytes {
                    throw StreamFramingError(
                        message: "an SSE line is longer than \(maxLineBytes) bytes", offset: offset + i)
                }
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i..<n]))
                break
            }
            if carry.isEmpty {
                try line(UnsafeRawBufferPointer(rebasing: buf[i..<end]), emit)
            } else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i..<end]))
                let whole = carry
                carry.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try line($0, emit) }
            }
            if buf[end] == 0x0D {
                if end + 1 < n {
                    i = buf[end + 1] == 0x0A ? end + 2 : end + 1
                } else {
                    skipLF = true
                    i = end + 1
                }
            } else {
                i = end + 1
            }
        }
        offset += n
    }

    /// The stream ended: a last line without its line break, and an event without its blank line,
    /// are still delivered (servers that close right after the last `data:` lose nothing).
    public mutating func finish(_ emit: (SSEEvent) throws -> Void) throws {
        if !carry.isEmpty {
            let whole = carry
            carry.removeAll()
            try whole.withUnsafeBytes { try line($0, emit) }
        }
        try dispatch(emit)
    }

    private mutating func line(_ l: UnsafeRawBufferPointer, _ emit: (SSEEvent) throws -> Void) throws {
        if l.isEmpty {
            try dispatch(emit)
            return
        }
        if l[0] == UInt8(ascii: ":") { return }  // comment, e.g. ": keep-alive"
        var nameEnd = l.count
        var valueStart = l.count
        if let base = l.baseAddress, let p = memchr(base, Int32(UInt8(ascii: ":")), l.count) {
            nameEnd = base.distance(to: UnsafeRawPointer(p))
            valueStart = nameEnd + 1
            if valueStart < l.count, l[valueStart] == 0x20 { valueStart += 1 }
        }
        let name = UnsafeRawBufferPointer(rebasing: l[0..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: l[valueStart..<l.count])
        if SSEParser.equals(name, "data") {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        } else if SSEParser.equals(name, "event") {
            // A decoder compares the name with the events it knows: long runs of marks in order (`MarkOrder`).
            eventName = MarkOrder.ordered(String(decoding: value, as: UTF8.self))
        } else if SSEParser.equals(name, "id") {
            if !value.contains(0) {
                lastID = MarkOrder.ordered(String(decoding: value, as: UTF8.self))
            }
        }
        // "retry" and unknown fields are ignored.
    }

    private mutating func dispatch(_ emit: (SSEEvent) throws -> Void) throws {
        defer {
            eventName = nil
            hasData = false
            data.removeAll(keepingCapacity: true)
        }
        guard hasData else { return }
        try emit(SSEEvent(event: eventName, data: data, id: lastID))
    }

    @inline(__always)
    private static func equals(_ a: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        guard a.count == s.utf8CodeUnitCount, let base = a.baseAddress else { return false }
        return memcmp(base, s.utf8Start, a.count) == 0
    }
}
