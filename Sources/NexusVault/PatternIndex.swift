/// A multi-pattern matcher over bytes: one left-to-right pass finds the leftmost-longest occurrence
/// of any of up to thousands of patterns, each at least 4 bytes long.
///
/// Wu–Manber: with `m` the shortest pattern length (capped at 16), the scan slides an m-byte window
/// and looks only at the last 2–3 bytes of it; a 64 K-entry shift table says how far the window can
/// jump without skipping the start of any pattern (usually many bytes). Only where the shift is 0 is
/// the window's start checked: its first four bytes are hashed, tested against a 64 Kbit filter and
/// looked up in a table of patterns filed by their first four bytes, which are then compared longest
/// first. Secrets are high-entropy, so candidates are rare and the pass touches a fraction of the
/// bytes — never one `replace` per secret. Building is linear in the patterns' total length, so the
/// index is rebuilt whole whenever a credential changes.
///
/// With `foldCase`, patterns are given lower-cased and match text in any mix of ASCII case: the shift
/// table holds every case variant of each block, the prefix key is folded before the lookup, and the
/// comparison folds the text's bytes, so the pass costs the same as an exact one and copies nothing.
///
/// The tables live in memory this object allocates once and never changes after `init`, so the hot
/// loop runs on plain pointers and sharing the index across threads is safe.
final class PatternIndex: @unchecked Sendable {
    static let prefixLength = 4
    private static let filterWords = 1024  // 64 Kbit

    let replacements: [[UInt8]]
    let isEmpty: Bool
    let foldCase: Bool
    private let patternCount: Int
    /// All pattern bytes back to back, then per pattern: start, length, owner (index into `replacements`).
    private let bytes: UnsafeMutablePointer<UInt8>
    private let starts: UnsafeMutablePointer<Int>
    private let lengths: UnsafeMutablePointer<Int>
    private let owners: UnsafeMutablePointer<Int>
    /// Open-addressed table: prefix key, and the range of `grouped` holding its patterns (longest first).
    private let tableSize: Int
    private let bucketKeys: UnsafeMutablePointer<UInt32>
    private let bucketFirst: UnsafeMutablePointer<Int32>
    private let bucketCount: UnsafeMutablePointer<Int32>
    private let grouped: UnsafeMutablePointer<Int32>
    private let filter: UnsafeMutablePointer<UInt64>
    private let shift: UInt32
    /// Wu–Manber window length, block length, and the shift for each hashed block.
    private let window: Int
    private let block: Int
    private let shifts: UnsafeMutablePointer<UInt8>

    /// `patterns[i]` is replaced by `replacements[owner]`; patterns shorter than 4 bytes are ignored.
    /// With `foldCase`, the patterns must be ASCII-lower-cased.
    init(patterns: [(bytes: [UInt8], owner: Int)], replacements: [[UInt8]], foldCase: Bool = false) {
        self.foldCase = foldCase
        let kept = patterns.filter { $0.bytes.count >= Self.prefixLength }
        let total = kept.reduce(0) { $0 + $1.bytes.count }
        patternCount = kept.count
        bytes = .allocate(capacity: max(1, total))
        starts = .allocate(capacity: max(1, kept.count))
        lengths = .allocate(capacity: max(1, kept.count))
        owners = .allocate(capacity: max(1, kept.count))
        var byPrefix: [UInt32: [Int32]] = [:]
        var offset = 0
        for (id, p) in kept.enumerated() {
            starts[id] = offset
            lengths[id] = p.bytes.count
            owners[id] = p.owner
            for b in p.bytes {
                bytes[offset] = b
                offset += 1
            }
            byPrefix[Self.key(p.bytes), default: []].append(Int32(id))
        }
        var size = 16
        while size < byPrefix.count * 4 { size <<= 1 }
        tableSize = size
        let bits = UInt32(size.trailingZeroBitCount)
        shift = 32 - bits
        bucketKeys = .allocate(capacity: size)
        bucketKeys.initialize(repeating: 0, count: size)
        bucketFirst = .allocate(capacity: size)
        bucketFirst.initialize(repeating: -1, count: size)
        bucketCount = .allocate(capacity: size)
        bucketCount.initialize(repeating: 0, count: size)
        grouped = .allocate(capacity: max(1, kept.count))
        filter = .allocate(capacity: Self.filterWords)
        filter.initialize(repeating: 0, count: Self.filterWords)
        var next = 0
        let lengthOf = lengths
        for (k, ids) in byPrefix {
            let h = Self.hash(k)
            filter[Int(h >> 22)] |= 1 << UInt64((h >> 16) & 63)
            var slot = Int(h >> shift)
            while bucketFirst[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            bucketKeys[slot] = k
            bucketFirst[slot] = Int32(next)
            bucketCount[slot] = Int32(ids.count)
            for id in ids.sorted(by: { lengthOf[Int($0)] > lengthOf[Int($1)] }) {
                grouped[next] = id
                next += 1
            }
        }
        let m = min(16, kept.map(\.bytes.count).min() ?? Self.prefixLength)
        let b = m >= 6 ? 3 : 2
        window = m
        block = b
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
        table.initialize(repeating: UInt8(m - b + 1), count: 1 << 16)
        for p in kept {
            for q in b...m {
                let block = Array(p.bytes[(q - b)..<q])
                for variant in foldCase ? Self.caseVariants(block) : [block] {
                    let idx = variant.withUnsafeBytes { Self.blockIndex($0.baseAddress!, b) }
                    table[idx] = min(table[idx], UInt8(m - q))
                }
            }
        }
        shifts = table
        self.replacements = replacements
        self.isEmpty = kept.isEmpty
    }

    /// Every spelling of `block` with its ASCII letters in either case (at most 8: blocks are 2-3 bytes).
    static func caseVariants(_ block: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = [[]]
        for byte in block {
            let isLetter = byte >= 0x61 && byte <= 0x7A
            out = out.flatMap { v in isLetter ? [v + [byte], v + [byte & ~0x20]] : [v + [byte]] }
        }
        return out
    }

    /// `k` (four text bytes) with each ASCII upper-case letter lower-cased.
    @inline(__always)
    static func folded(_ k: UInt32) -> UInt32 {
        var out: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) {
            let byte = UInt8(truncatingIfNeeded: k >> UInt32(shift))
            out |= UInt32(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) << UInt32(shift)
        }
        return out
    }

    /// The shift-table slot of the `b` (2 or 3) bytes at `p`.
    @inline(__always)
    private static func blockIndex(_ p: UnsafeRawPointer, _ b: Int) -> Int {
        if b == 2 { return Int(p.loadUnaligned(as: UInt16.self)) }
        let v =
            UInt32(p.load(as: UInt8.self)) | UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
            | UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 16
        return Int((v &* 0x9E37_79B1) >> 16)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        lengths.deallocate()
        owners.deallocate()
        bucketKeys.deallocate()
        bucketFirst.deallocate()
        bucketCount.deallocate()
        grouped.deallocate()
        filter.deallocate()
        shifts.deallocate()
    }

    @inline(__always) static func hash(_ k: UInt32) -> UInt32 { k &* 0x9E37_79B1 }

    static func key(_ p: [UInt8]) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    /// One occurrence: where it starts, how long it is, and which replacement stands in for it.
    struct Match {
        var at: Int
        var length: Int
        var replacement: Int
    }

    /// Every leftmost-longest, non-overlapping occurrence, in order.
    func matches(in text: UnsafeRawBufferPointer) -> [Match] {
        guard !isEmpty, text.count >= Self.prefixLength, let base = text.baseAddress else { return [] }
        let n = text.count
        var found: [Match] = []
        let filter = self.filter
        let shifts = self.shifts
        let m = window
        let b = block
        var i = 0
        while i + m <= n {
            let s = Int(shifts[Self.blockIndex(base + (i + m - b), b)])
            if s > 0 {
                i += s
                continue
            }
            var k = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            if foldCase { k = Self.folded(k) }
            let h = k &* 0x9E37_79B1
            if filter[Int(h >> 22)] & (1 << UInt64((h >> 16) & 63)) != 0,
                let id = match(at: i, key: k, hash: h, text: base, count: n)
            {
                found.append(Match(at: i, length: lengths[id], replacement: owners[id]))
                i += lengths[id]
                continue
            }
            i += 1
        }
        return found
    }

    /// The text with every match replaced, or nil when nothing matched (so callers keep the original).
    func redact(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        let found = matches(in: text)
        guard !found.isEmpty, let base = text.baseAddress else { return nil }
        let n = text.count
        var size = n
        for m in found { size += replacements[m.replacement].count - m.length }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        var copied = 0
        for m in found {
            out.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: m.at - copied))
            out.append(contentsOf: replacements[m.replacement])
            copied = m.at + m.length
        }
        out.append(contentsOf: UnsafeRawBufferPointer(start: base + copied, count: n - copied))
        return out
    }

    /// The longest pattern with prefix `key` that matches at `i`, if any.
    @inline(__always)
    private func match(at i: Int, key: UInt32, hash: UInt32, text: UnsafeRawPointer, count n: Int) -> Int? {
        let mask = tableSize - 1
        var slot = Int(hash >> shift)
        while bucketFirst[slot] >= 0 {
            if bucketKeys[slot] == key {
                let f = Int(bucketFirst[slot])
                for g in f..<f + Int(bucketCount[slot]) {
                    let id = Int(grouped[g])
                    let len = lengths[id]
                    let pattern = UnsafeRawPointer(bytes + starts[id])
                    guard i + len <= n else { continue }
                    if foldCase ? equalFolded(text + i, pattern, len) : equal(text + i, pattern, len) { return id }
                }
                return nil
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Whether `n` text bytes at `a`, ASCII-lower-cased, equal the (lower-cased) pattern at `b`.
    @inline(__always)
    private func equalFolded(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        for j in 0..<n {
            let t = a.load(fromByteOffset: j, as: UInt8.self)
            if (t >= 0x41 && t <= 0x5A ? t | 0x20 : t) != b.load(fromByteOffset: j, as: UInt8.self) { return false }
        }
        return true
    }

    @inline(__always)
    private func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var j = 0
        while j + 8 <= n {
            if a.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            {
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
