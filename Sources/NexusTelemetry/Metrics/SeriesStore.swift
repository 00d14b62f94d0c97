import Synchronization

/// Every series' value, and the page they make: the storage behind nexus's swift-metrics handles.
///
/// It exists so `/metrics` for 1,000 modules renders in well under a millisecond (issue 16; BENCHMARKS.md):
/// a series' lines are pre-rendered once, when it first appears, as one template of line prefixes
/// (`name{labels} `, and for a histogram each `_bucket{…,le="…"} `, `_sum`, `_count`), and a render copies
/// the templates and formats only the numbers, into one buffer sized in advance. Values are a flat array of
/// words under one lock; a render copies the array (one memcpy) and formats outside the lock. Families come
/// out in the order they first appeared, each with its HELP and TYPE once and its series together.
public final class SeriesStore: Sendable {
    /// What a family is; its TYPE line says the same.
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    struct Family: Sendable {
        let name: String
        let kind: Kind
        let bounds: [Double]
        let header: [UInt8]
        var series: [Int] = []
    }

    /// One series: its line prefixes back to back (`ends[i]` closes line i's prefix) and its first value word.
    struct Series: Sendable {
        let family: Int
        let template: [UInt8]
        let ends: [Int]
        let slot: Int
    }

    struct State: Sendable {
        var families: [Family] = []
        var familyIndex: [String: Int] = [:]
        var series: [Series] = []
        var seriesIndex: [[UInt8]: Int] = [:]
        /// Counter: Int64 part, Double part. Gauge: Double. Histogram of n bounds: n bucket counts (each its own
        /// bucket, not cumulative), the count, the sum as Double bits.
        var values: [UInt64] = []
        /// Header and template bytes, and lines, so far: a render's buffer size.
        var textBytes = 0
        var lines = 0
        var version: UInt64 = 0
        var page: (version: UInt64, bytes: [UInt8])?
    }

    /// Series beyond this many are not made (their handles do nothing): a last bound behind `LabelBound`.
    public let maxSeries: Int
    private let state = Mutex(State())

    public init(maxSeries: Int = 100_000) {
        self.maxSeries = maxSeries
    }

    /// Where a series' values start, and its family's bounds (a histogram's, else empty).
    struct Slot: Sendable {
        let index: Int
        let bounds: [Double]
    }

    /// The slot of the series `name{labels}` of `kind`, made on first use (a histogram family keeps the bounds
    /// it was first made with); nil when `name` is already a family of another kind or the store is full.
    func slot(
        _ name: String, _ labels: [(String, String)], kind: Kind, bounds: [Double] = [], help: String?
    ) -> Slot? {
        let key = ExpositionBytes.prefix(name, labels)
        return state.withLock { s -> Slot? in
            if let i = s.seriesIndex[key] {
                let f = s.families[s.series[i].family]
                return f.kind == kind ? Slot(index: s.series[i].slot, bounds: f.bounds) : nil
            }
            let f: Int
            if let existing = s.familyIndex[name] {
                guard s.families[existing].kind == kind else { return nil }
                f = existing
            } else {
                guard s.series.count < maxSeries else { return nil }
                let header = ExpositionBytes.header(name, type: kind.rawValue, help: help)
                f = s.families.count
                s.families.append(Family(name: name, kind: kind, bounds: bounds, header: header))
                s.familyIndex[name] = f
                s.textBytes += header.count
            }
            guard s.series.count < maxSeries else { return nil }
            let familyBounds = s.families[f].bounds
            let (template, ends) = Self.template(name, labels, kind: kind, bounds: familyBounds)
            let slot = s.values.count
            s.values.append(contentsOf: repeatElement(0, count: kind == .histogram ? familyBounds.count + 2 : 2))
            s.seriesIndex[key] = s.series.count
            s.families[f].series.append(s.series.count)
            s.series.append(Series(family: f, template: template, ends: ends, slot: slot))
            s.textBytes += template.count
            s.lines += ends.count
            s.version &+= 1
            return Slot(index: slot, bounds: familyBounds)
        }
    }

    private static func template(
        _ name: String, _ labels: [(String, String)], kind: Kind, bounds: [Double]
    ) -> ([UInt8], [Int]) {
        guard kind == .histogram else {
            let p = ExpositionBytes.prefix(name, labels)
            return (p, [p.count])
        }
        var t: [UInt8] = []
        var ends: [Int] = []
        for b in bounds + [.infinity] {
            t += ExpositionBytes.prefix(name + "_bucket", labels, extra: #"le=""# + ExpositionBytes.bound(b) + #"""#)
            ends.append(t.count)
        }
        t += ExpositionBytes.prefix(name + "_sum", labels)
        ends.append(t.count)
        t += ExpositionBytes.prefix(name + "_count", labels)
        ends.append(t.count)
        return (t, ends)
    }

    // MARK: Changes (the handlers call these)

    func addInteger(_ slot: Int, _ amount: Int64) {
        state.withLock { s in
            s.values[slot] = UInt64(bitPattern: Int64(bitPattern: s.values[slot]) &+ amount)
            s.version &+= 1
        }
    }

    func addDouble(_ slot: Int, _ amount: Double) {
        state.withLock { s in
            s.values[slot] = (Double(bitPattern: s.values[slot]) + amount).bitPattern
            s.version &+= 1
        }
    }

    func setDouble(_ slot: Int, _ value: Double) {
        state.withLock { s in
            s.values[slot] = value.bitPattern
            s.version &+= 1
        }
    }

    /// One observation into bucket `bucket` (== bound count: above every bound) of the histogram at `slot`.
    func observe(_ slot: Int, bucket: Int, bounds: Int, _ value: Double) {
        state.withLock { s in
            if bucket < bounds { s.values[slot + bucket] &+= 1 }
            s.values[slot + bounds] &+= 1
            s.values[slot + bounds + 1] = (Double(bitPattern: s.values[slot + bounds + 1]) + value).bitPattern
            s.version &+= 1
        }
    }

    /// Zeroes the series at `slot` (`words` values).
    func reset(_ slot: Int, words: Int) {
        state.withLock { s in
            for i in slot..<(slot + words) { s.values[i] = 0 }
            s.version &+= 1
        }
    }

    // MARK: The page

    /// The whole exposition. A page made at the same version is returned again without rendering.
    public func renderBytes() -> [UInt8] {
        let snapshot = state.withLock { s -> State? in
            if let page = s.page, page.version == s.version { return nil }
            var copy = s
            copy.page = nil
            return copy
        }
        guard let snapshot else { return state.withLock { $0.page?.bytes ?? [] } }
        let page = Self.render(snapshot)
        state.withLock { s in
            if s.page == nil || s.page?.version ?? 0 < snapshot.version { s.page = (snapshot.version, page) }
        }
        return page
    }

    /// How many series exist.
    public var seriesCount: Int { state.withLock { $0.series.count } }

    static func render(_ s: State) -> [UInt8] {
        let capacity = s.textBytes + s.lines * ExpositionBytes.maxNumber
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            var w = ExpositionWriter(buffer, base: base)
            s.values.withUnsafeBufferPointer { v in
                s.series.withUnsafeBufferPointer { all in
                    for family in s.families where !family.series.isEmpty {
                        family.header.withUnsafeBufferPointer { w.bytes($0, from: 0, to: $0.count) }
                        let kind = family.kind
                        let n = family.bounds.count
                        for i in family.series { write(all[i], kind, n, v, into: &w) }
                    }
                }
            }
            count = w.count
        }
    }

    private static func write(
        _ series: Series, _ kind: Kind, _ n: Int, _ v: UnsafeBufferPointer<UInt64>, into w: inout ExpositionWriter
    ) {
        series.template.withUnsafeBufferPointer { t in
            let slot = series.slot
            switch kind {
            case .counter:
                w.bytes(t, from: 0, to: series.ends[0])
                let whole = Int64(bitPattern: v[slot])
                let part = Double(bitPattern: v[slot + 1])
                if part == 0 { w.integer(UInt64(max(0, whole))) } else { w.double(Double(whole) + part) }
            case .gauge:
                w.bytes(t, from: 0, to: series.ends[0])
                w.double(Double(bitPattern: v[slot]))
            case .histogram:
                var cumulative: UInt64 = 0
                var start = 0
                for b in 0..<n {
                    cumulative &+= v[slot + b]
                    w.bytes(t, from: start, to: series.ends[b])
                    w.integer(cumulative)
                    w.byte(0x0A)
                    start = series.ends[b]
                }
                let total = v[slot + n]
                w.bytes(t, from: start, to: series.ends[n])  // +Inf
                w.integer(total)
                w.byte(0x0A)
                w.bytes(t, from: series.ends[n], to: series.ends[n + 1])  // _sum
                w.double(Double(bitPattern: v[slot + n + 1]))
                w.byte(0x0A)
                w.bytes(t, from: series.ends[n + 1], to: series.ends[n + 2])  // _count
                w.integer(total)
            }
            w.byte(0x0A)
        }
    }
}
