import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// Buffered reading from a proxy client, so bytes after one request (a body, a pipelined second
/// request) are framed and checked as what they are instead of being passed on unseen. Bodies are
/// forwarded exactly as framed: Content-Length bytes, or chunks through the last one and its trailers.
struct ClientReader {
    let fd: Int32
    /// Read from the client but not yet consumed.
    var pending: [UInt8] = []
    static let maxHead = 32 * 1024

    enum Head {
        case head([UInt8])
        case closed
        case tooLarge
    }

    init(fd: Int32) { self.fd = fd }

    /// Reads until a blank line ends a request head.
    mutating func readHead() -> Head {
        while true {
            // A stray CRLF between requests is allowed (RFC 9112 2.2).
            while pending.count >= 2, pending[0] == 13, pending[1] == 10 { pending.removeFirst(2) }
            if let end = Self.headEnd(pending) {
                let head = Array(pending[0..<end])
                pending.removeFirst(end)
                return .head(head)
            }
            if pending.count >= Self.maxHead { return .tooLarge }
            guard fill() else { return .closed }
        }
    }

    /// Whether the client has sent more (buffered, or readable right now).
    mutating func hasMore() -> Bool {
        if !pending.isEmpty { return true }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 1 && p.revents & Int16(POLLIN) != 0
    }

    /// Takes what is buffered (the start of a tunnel).
    mutating func drain() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    /// Reads once more from the client; false at EOF or error.
    mutating func fill() -> Bool {
        var buf = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16384) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            pending.append(contentsOf: buf[0..<n])
            return true
        }
    }

    /// Passes exactly `count` body bytes to `sink`; false when the client stops early or `sink` fails.
    mutating func forward(count: Int, to sink: ([UInt8]) -> Bool) -> Bool {
        var left = count
        while left > 0 {
            if pending.isEmpty, !fill() { return false }
            let n = min(left, pending.count)
            guard sink(Array(pending[0..<n])) else { return false }
            pending.removeFirst(n)
            left -= n
        }
        return true
    }

    /// Passes a chunked body through its last chunk and trailers, checking the framing as it goes.
    /// Returns nil when done, else why it stopped.
    mutating func forwardChunked(to sink: ([UInt8]) -> Bool) -> String? {
        while true {
            guard let sizeLine = line() else { return "chunked body ended early or has a line over 4 KB" }
            let sizeText = sizeLine.prefix { $0 != UInt8(ascii: ";") }
            guard (1...15).contains(sizeText.count), sizeText.allSatisfy(Self.isHex),
                let size = Int(String(decoding: sizeText, as: UTF8.self), radix: 16)
            else { return "malformed chunk size" }
            guard sink(sizeLine + [13, 10]) else { return "upstream closed" }
            if size == 0 {
                while true {
                    guard let trailer = line() else { return "chunked trailers ended early" }
                    guard sink(trailer + [13, 10]) else { return "upstream closed" }
                    if trailer.isEmpty { return nil }
                }
            }
            guard forward(count: size, to: sink) else { return "chunked body ended early" }
            guard let end = line(), end.isEmpty else { return "chunk data is not followed by CRLF" }
            guard sink([13, 10]) else { return "upstream closed" }
        }
    }

    /// One CRLF-terminated line (without CRLF); nil at EOF, on a bare LF or control byte, or past 4 KB.
    mutating func line() -> [UInt8]? {
        while true {
            if let lf = pending.firstIndex(of: 10) {
                guard lf > 0, pending[lf - 1] == 13 else { return nil }
                let l = Array(pending[0..<(lf - 1)])
                guard !l.contains(where: { $0 == 13 || ($0 < 0x20 && $0 != 9) }) else { return nil }
                pending.removeFirst(lf + 1)
                return l
            }
            if pending.count > 4096 { return nil }
            guard fill() else { return nil }
        }
    }

    static func isHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) }

    static func headEnd(_ d: [UInt8]) -> Int? {
        guard d.count >= 4 else { return nil }
        for i in 0...(d.count - 4) where d[i] == 13 && d[i + 1] == 10 && d[i + 2] == 13 && d[i + 3] == 10 {
            return i + 4
        }
        return nil
    }
}
