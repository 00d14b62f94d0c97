import NexusCore

/// The framing of the channel between nexus and `nexus-admin`: every message is
/// `[u32 length N][u32 header length H][H bytes: a JSON object][N − 4 − H bytes: a body]`, big-endian,
/// with N at most `AdminFrame.maxLength`. A length over the cap cannot be skipped safely, so the reader
/// reports it and the channel is closed; a frame with a bad header is dropped alone.
public enum AdminFrame {
    /// The largest frame either side accepts (16 MiB): a request body is capped far lower by the front, and a
    /// `/metrics` page of a thousand modules is a few megabytes.
    public static let maxLength = 16 * 1024 * 1024

    /// One frame's bytes: `header` serialized, then `body`.
    public static func encode(_ header: JSONValue, body: [UInt8] = []) -> [UInt8] {
        let h = Array(header.serialized.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + h.count + body.count)
        append(UInt32(4 + h.count + body.count), to: &out)
        append(UInt32(h.count), to: &out)
        out += h
        out += body
        return out
    }

    static func append(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }

    static func u32(_ b: ArraySlice<UInt8>) -> Int {
        let i = b.startIndex
        return Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }

    /// What the reader found in the bytes received so far.
    public enum Item: Sendable, Equatable {
        /// A whole frame: its header and body.
        case frame(JSONValue, [UInt8])
        /// A whole frame whose header is not a JSON object: dropped, the stream goes on.
        case malformed(String)
    }

    /// The stream cannot go on (the length prefix is over the cap or too short to hold a header).
    public struct Broken: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Collects bytes as they arrive and cuts them into frames.
    public struct Reader: Sendable {
        private var buffer: [UInt8] = []
        private var start = 0

        public init() {}

        /// Bytes received but not yet part of a whole frame (a stream that ends here was cut short).
        public var pendingCount: Int { buffer.count - start }

        public mutating func append(_ bytes: ArraySlice<UInt8>) { buffer += bytes }

        /// The next whole frame, nil when more bytes are needed.
        public mutating func next() throws(Broken) -> Item? {
            guard buffer.count - start >= 4 else { return compacted(nil) }
            let length = u32(buffer[start..<start + 4])
            guard length <= maxLength else {
                throw Broken(reason: "frame of \(length) bytes is over the \(maxLength)-byte cap")
            }
            guard length >= 4 else { throw Broken(reason: "frame of \(length) bytes cannot hold its header length") }
            guard buffer.count - start >= 4 + length else { return compacted(nil) }
            let frameStart = start + 4
            start = frameStart + length
            let headerLength = u32(buffer[frameStart..<frameStart + 4])
            guard headerLength <= length - 4 else {
                return compacted(.malformed("header length \(headerLength) is past the frame's end (\(length))"))
            }
            let headerBytes = Array(buffer[frameStart + 4..<frameStart + 4 + headerLength])
            let body = Array(buffer[frameStart + 4 + headerLength..<start])
            guard let header = try? JSONValue(parsing: headerBytes), header.objectValue != nil else {
                return compacted(.malformed("header is not a JSON object"))
            }
            return compacted(.frame(header, body))
        }

        private mutating func compacted(_ item: Item?) -> Item? {
            if start > 0, start == buffer.count || start > 1 << 20 {
                buffer.removeFirst(start)
                start = 0
            }
            return item
        }
    }
}
