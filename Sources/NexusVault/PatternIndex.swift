/// A multi-pattern matcher over bytes: one left-to-right pass finds the leftmost-longest occurrence
/// of any of up to thousands of patterns, each at least 4 bytes long.
///
/// Every pattern is filed under its first four bytes (a Rabin–Karp / Wu–Manber style prefix index).
/// The scan loads four bytes at each position, hashes them, and checks a 64 Kbit filter that fits in
/// L1; only on a hit does it probe the bucket table and compare the patterns sharing that prefix,
/// longest first. Secrets are high-entropy, so hits are rare and the pass costs about one multiply
/// and one bit test per byte — not one `replace` per secret. Building is linear in the patterns'
/// total length, so the index is rebuilt whole whenever a credential changes.
final class PatternIndex: Sendable {
    /// All pattern bytes back to back.
    private let bytes: [UInt8]
    private let starts: [Int]
    private let lengths: [Int]
    /// Index into `replacements` for each pattern.
    private let owners: [Int]
    let replacements: [[UInt8]]
    /// Open-addressed table: prefix key, and the range of `grouped` holding its patterns (longest first).
    private let bucketKeys: [UInt32]
    private let bucketFirst: [Int32]
    private let bucketCount: [Int32]
    private let grouped: [Int32]
    private let filter: [UInt64]
    private let shift: UInt32
    let isEmpty: Bool

    static let prefixLength = 4

    /// `patterns[i]` is replaced by `replacements[owner[i]]`; patterns shorter than 4 bytes are ignored.
    init(patterns: [(bytes: [UInt8], owner: Int)], replacements: [[UInt8]]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        var owners: [Int] = []
        var byPrefix: [UInt32: [Int32]] = [:]
        for p in patterns where p.bytes.count >= Self.prefixLength {
            let id = Int32(starts.count)
            starts.append(bytes.count)
            lengths.append(p.bytes.count)
            owners.append(p.owner)
            bytes.append(contentsOf: p.bytes)
            byPrefix[Self.key(p.bytes), default: []].append(id)
        }
        var size = 16
        while size < byPrefix.count * 4 { size <<= 1 }
        let bits = UInt32(size.trailingZeroBitCount)
        var keys = [UInt32](repeating: 0, count: size)
        var first = [Int32](repeating: -1, count: size)
        var count = [Int32](repeating: 0, count: size)
        var grouped: [Int32] = []
        var filter = [UInt64](repeating: 0, count: 1024)
        for (k, ids) in byPrefix {
            let h = Self.hash(k)
            filter[Int(h >> 22)] |= 1 << UInt64((h >> 16) & 63)
            var slot = Int(h >> (32 - bits))
            while first[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            keys[slot] = k
            first[slot] = Int32(grouped.count)
            count[slot] = Int32(ids.count)
            grouped += ids.sorted { lengths[Int($0)] > lengths[Int($1)] }
        }
        self.bytes = bytes
        self.starts = starts
        self.lengths = lengths
        self.owners = owners
        self.replacements = replacements
        self.bucketKeys = keys
        self.bucketFirst = first
        self.bucketCount = count
        self.grouped = grouped
        self.filter = filter
        self.shift = 32 - bits
        self.isEmpty = starts.isEmpty
    }

    @inline(__always) static func hash(_ k: UInt32) -> UInt32 { k &* 0x9E37_79B1 }

    static func key(_ p: [UInt8]) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    /// The text with every match replaced, or nil when nothing matched (so callers keep the original).
    func redact(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard !isEmpty, text.count >= Self.prefixLength, let base = text.baseAddress else { return nil }
        let n = text.count
        var out: [UInt8]? = nil
        var copied = 0
        bytes.withUnsafeBufferPointer { pat in
            filter.withUnsafeBufferPointer { filt in
                var i = 0
                let last = n - Self.prefixLength
                while i <= last {
                    let k = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                    let h = Self.hash(k)
                    if filt[Int(h >> 22)] & (1 << UInt64((h >> 16) & 63)) != 0,
                        let matched = match(at: i, key: k, hash: h, text: base, count: n, patterns: pat)
                    {
                        if out == nil {
                            out = []
                            out?.reserveCapacity(n)
                        }
                        out?.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: i - copied))
                        out?.append(contentsOf: replacements[owners[matched]])
                        i += lengths[matched]
                        copied = i
                        continue
                    }
                    i += 1
                }
            }
        }
        guard var result = out else { return nil }
        result.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: n - copied))
        return result
    }

    /// The longest pattern with prefix `key` that matches at `i`, if any.
    @inline(__always)
    private func match(
        at i: Int, key: UInt32, hash: UInt32, text: UnsafeRawPointer, count n: Int, patterns: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        let mask = bucketKeys.count - 1
        var slot = Int(hash >> shift)
        while bucketFirst[slot] >= 0 {
            if bucketKeys[slot] == key {
                let f = Int(bucketFirst[slot])
                for g in f..<f + Int(bucketCount[slot]) {
                    let id = Int(grouped[g])
                    let len = lengths[id]
                    guard i + len <= n, let pb = patterns.baseAddress else { continue }
                    if memcmpEqual(text + i, UnsafeRawPointer(pb + starts[id]), len) { return id }
                }
                return nil
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var j = 0
        while j + 8 <= n {
            if a.loadUnaligned(fromByteOffset: j, as: UInt64.self) != b.loadUnaligned(fromByteOffset: j, as: UInt64.self) {
                return false
            }
            j += 8
        }
        while j < n {
            if a.load(fromByteOffset: j, as: UInt8.self) != b.load(fromByteOffset: j, as: UInt8.self) { return false }
            j += 1
        }
        return true
    }
}
