/// A strict reader of the Prometheus text exposition format 0.0.4, for the metrics tests.
///
/// It checks what Prometheus's own parser and `promtool check metrics` would refuse or warn about, so a test
/// can hold a page to the format even where promtool is not installed: valid names, label values with only
/// `\\`, `\"`, `\n` escapes, HELP and TYPE at most once per family and before its samples, a family's samples
/// together, counters ending `_total`, and a histogram's buckets cumulative with `+Inf` equal to `_count`.
struct ExpositionPage {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
    }

    var types: [String: String] = [:]
    var help: [String: String] = [:]
    var samples: [Sample: Double] = [:]
    var lines = 0

    struct Invalid: Error, CustomStringConvertible {
        let line: Int
        let why: String
        var description: String { "line \(line): \(why)" }
    }

    /// The family a sample belongs to: its name without a histogram's `_bucket`/`_sum`/`_count`.
    func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.last == 0x0A || bytes.isEmpty else { throw Invalid(line: 0, why: "no final newline") }
        var finished: Set<String> = []
        var current: String?
        var sampled: Set<String> = []
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            lines += 1
            let line = String(decoding: raw, as: UTF8.self)
            let n = lines
            func enter(_ family: String) throws {
                guard current != family else { return }
                if let current { finished.insert(current) }
                guard !finished.contains(family) else { throw Invalid(line: n, why: "\(family) continues later") }
                current = family
            }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4, Self.validName(parts[2], colon: true) else {
                    throw Invalid(line: n, why: "bad comment \(line)")
                }
                let name = String(parts[2])
                try enter(name)
                guard !sampled.contains(name) else { throw Invalid(line: n, why: "\(parts[1]) after samples") }
                if parts[1] == "TYPE" {
                    guard types[name] == nil else { throw Invalid(line: n, why: "TYPE twice for \(name)") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(String(parts[3])) else {
                        throw Invalid(line: n, why: "type \(parts[3])")
                    }
                    types[name] = String(parts[3])
                } else {
                    guard help[name] == nil else { throw Invalid(line: n, why: "HELP twice for \(name)") }
                    help[name] = String(parts[3])
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            let (sample, value) = try Self.sample(raw, line: n)
            let fam = family(of: sample.name)
            try enter(fam)
            sampled.insert(fam)
            if types[fam] == "counter", !fam.hasSuffix("_total") {
                throw Invalid(line: n, why: "counter \(fam) does not end _total")
            }
            guard samples.updateValue(value, forKey: sample) == nil else {
                throw Invalid(line: n, why: "sample twice: \(line)")
            }
        }
        try checkHistograms()
    }

    /// Buckets cumulative, `+Inf` present and equal to `_count`, `_sum` present, for every histogram series.
    private func checkHistograms() throws {
        var buckets: [Sample: [(Double, Double)]] = [:]
        for (s, v) in samples where s.name.hasSuffix("_bucket") && types[family(of: s.name)] == "histogram" {
            var base = s.labels
            guard let le = base.removeValue(forKey: "le"), let bound = Self.number(le) else {
                throw Invalid(line: 0, why: "bucket without le: \(s)")
            }
            buckets[Sample(name: family(of: s.name), labels: base), default: []].append((bound, v))
        }
        for (series, list) in buckets {
            let sorted = list.sorted { $0.0 < $1.0 }
            for i in sorted.indices.dropFirst() where sorted[i].1 < sorted[i - 1].1 {
                throw Invalid(line: 0, why: "buckets not cumulative in \(series)")
            }
            guard sorted.last?.0 == .infinity else { throw Invalid(line: 0, why: "no +Inf bucket in \(series)") }
            let count = samples[Sample(name: series.name + "_count", labels: series.labels)]
            guard count == sorted.last?.1 else { throw Invalid(line: 0, why: "+Inf ≠ _count in \(series)") }
            guard samples[Sample(name: series.name + "_sum", labels: series.labels)] != nil else {
                throw Invalid(line: 0, why: "no _sum in \(series)")
            }
        }
    }

    static func validName(_ s: Substring, colon: Bool) -> Bool {
        guard let first = s.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return s.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
                || (colon && b == 0x3A)
        }
    }

    static func number(_ s: String) -> Double? {
        switch s {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(s)
        }
    }

    /// `name{k="v",…} value` (no timestamp: nexus writes none).
    static func sample(_ raw: ArraySlice<UInt8>, line: Int) throws -> (Sample, Double) {
        var i = raw.startIndex
        func fail(_ why: String) -> Invalid {
            Invalid(line: line, why: why + ": " + String(decoding: raw, as: UTF8.self))
        }
        while i < raw.endIndex, raw[i] != 0x7B, raw[i] != 0x20 { i += 1 }
        let name = String(decoding: raw[raw.startIndex..<i], as: UTF8.self)
        guard validName(Substring(name), colon: true) else { throw fail("bad name") }
        var labels: [String: String] = [:]
        if i < raw.endIndex, raw[i] == 0x7B {
            i += 1
            while i < raw.endIndex, raw[i] != 0x7D {
                let start = i
                while i < raw.endIndex, raw[i] != 0x3D { i += 1 }
                let key = String(decoding: raw[start..<i], as: UTF8.self)
                guard validName(Substring(key), colon: false), i + 1 < raw.endIndex, raw[i + 1] == 0x22 else {
                    throw fail("bad label name")
                }
                i += 2
                var value: [UInt8] = []
                while true {
                    guard i < raw.endIndex else { throw fail("unterminated value") }
                    let b = raw[i]
                    if b == 0x22 { break }
                    if b == 0x5C {
                        guard i + 1 < raw.endIndex else { throw fail("lone backslash") }
                        switch raw[i + 1] {
                        case 0x5C: value.append(0x5C)
                        case 0x22: value.append(0x22)
                        case 0x6E: value.append(0x0A)
                        default: throw fail("bad escape")
                        }
                        i += 2
                        continue
                    }
                    value.append(b)
                    i += 1
                }
                i += 1
                guard labels.updateValue(String(decoding: value, as: UTF8.self), forKey: key) == nil else {
                    throw fail("label twice")
                }
                if i < raw.endIndex, raw[i] == 0x2C { i += 1 }
            }
            guard i < raw.endIndex else { throw fail("unterminated labels") }
            i += 1
        }
        guard i < raw.endIndex, raw[i] == 0x20 else { throw fail("no space before the value") }
        let text = String(decoding: raw[(i + 1)...], as: UTF8.self)
        guard let value = number(text) else { throw fail("bad value") }
        return (Sample(name: name, labels: labels), value)
    }
}
