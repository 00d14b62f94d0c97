/// Collects a command's stdout or stderr without letting it flood memory: keeps the first and last
/// `limit / 2` bytes, counts the rest, and redacts secrets when the text is taken out.
struct OutputCapture {
    let limit: Int
    private(set) var head: [UInt8] = []
    private(set) var tail: [UInt8] = []
    private(set) var total = 0

    init(limit: Int) { self.limit = max(limit, 2) }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        total += chunk.count
        let half = limit / 2
        var rest = chunk[...]
        if head.count < half {
            let take = min(half - head.count, rest.count)
            head.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        guard !rest.isEmpty else { return }
        tail.append(contentsOf: rest.suffix(half))
        if tail.count > half * 2 { tail.removeFirst(tail.count - half) }
    }

    var truncated: Bool { total > head.count + min(tail.count, limit / 2) }

    /// The kept text with secrets replaced by `[REDACTED]` and a marker where bytes were dropped.
    func text(redacting secrets: [String]) -> String {
        let half = limit / 2
        let keptTail = tail.count > half ? Array(tail.suffix(half)) : tail
        var s = String(decoding: head, as: UTF8.self)
        if truncated { s += "\n[... \(total - head.count - keptTail.count) bytes omitted ...]\n" }
        s += String(decoding: keptTail, as: UTF8.self)
        return Redactor.redact(s, secrets: secrets)
    }
}

/// Replaces secret values in text (credentials passed to the command must not reach logs or models).
enum Redactor {
    static func redact(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 4 {
            out = out.replacingAll(secret, with: "[REDACTED]")
        }
        return out
    }

    /// Names whose values are treated as secrets even when passed with plain `--env`.
    static func looksSecret(_ name: String) -> Bool {
        let n = name.uppercased()
        return ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "AUTH", "CREDENTIAL", "COOKIE"].contains {
            n.contains($0)
        }
    }
}

extension String {
    func replacingAll(_ needle: String, with replacement: String) -> String {
        guard !needle.isEmpty else { return self }
        let hay = Array(utf8)
        let nd = Array(needle.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var i = 0
        while i < hay.count {
            if i + nd.count <= hay.count, hay[i] == nd[0], Array(hay[i..<(i + nd.count)]) == nd {
                out.append(contentsOf: replacement.utf8)
                i += nd.count
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
