import NexusCore

/// Scrubs every stored credential — and its base64, URL-encoded, hex and JSON-escaped forms (escapes
/// in any mix of cases, see `RedactionForms`) — from text leaving nexus, replacing each with
/// `«redacted:module/name»`.
///
/// It is an immutable snapshot (`Sendable`): the vault builds a new one when a credential changes
/// and swaps it in, and writers (tool results before the model sees them, history, logs, events,
/// metrics, traces, the terminal) call `redact` on whichever snapshot they hold. One pass over the
/// bytes finds all secrets at once (see `PatternIndex`; a second, case-folding one finds the forms
/// whose escapes may come in any mix of cases). Text that arrives in pieces (a model's stream) goes through
/// `redactSettled`, which holds back the tail a later piece could complete. Values shorter than 4 bytes cannot be
/// redacted without shredding ordinary text and are skipped (`nexus creds set` warns about them).
public struct Redactor: SecretScrubber {
    /// A labelled value to scrub.
    public struct Secret: Sendable {
        public var label: String
        public var value: [UInt8]
        public init(label: String, value: [UInt8]) {
            self.label = label
            self.value = value
        }
    }

    /// Redacts nothing: for faces running before the vault is open.
    public static let empty = Redactor(secrets: [Secret]())

    let secrets: [Secret]
    let index: PatternIndex
    /// The case-insensitive forms, lower-cased; matched in any mix of ASCII case.
    let folded: PatternIndex
    /// The length in bytes of the longest form of any secret (0 when there is none).
    public let longestForm: Int
    /// `«redacted:label»` for each secret, by position.
    let labels: [String]

    public init(secrets: [Secret]) {
        self.secrets = secrets
        var patterns: [(bytes: [UInt8], owner: Int)] = []
        var foldedPatterns: [(bytes: [UInt8], owner: Int)] = []
        var replacements: [[UInt8]] = []
        for (i, s) in secrets.enumerated() {
            replacements.append(Array("«redacted:\(s.label)»".utf8))
            for form in RedactionForms.forms(of: s.value) { patterns.append((form, i)) }
            for form in RedactionForms.foldedForms(of: s.value) { foldedPatterns.append((form, i)) }
        }
        index = PatternIndex(patterns: patterns, replacements: replacements)
        folded = PatternIndex(patterns: foldedPatterns, replacements: replacements, foldCase: true)
        longestForm = (patterns + foldedPatterns).map(\.bytes.count).max() ?? 0
        labels = secrets.map { "«redacted:\($0.label)»" }
    }

    init(secrets: [(label: String, value: [UInt8])]) {
        self.init(secrets: secrets.map { Secret(label: $0.label, value: $0.value) })
    }

    /// How many secrets this snapshot knows.
    public var count: Int { secrets.count }

    /// `s` with every known secret replaced; the same string when none occurs.
    public func redact(_ s: String) -> String {
        if index.isEmpty { return s }
        var copy = s
        return copy.withUTF8 { buf -> String in
            let found = matches(in: UnsafeRawBufferPointer(buf))
            if found.isEmpty { return s }
            // Splice slices of the original (already valid UTF-8, so nothing is re-validated) around the
            // labels. A match that does not sit on character boundaries (only a non-UTF-8 secret can do
            // that) falls back to decoding the redacted bytes.
            let onBoundaries = found.allSatisfy { m in
                !Self.isContinuation(buf, m.at) && !Self.isContinuation(buf, m.at + m.length)
            }
            guard onBoundaries else {
                return String(decoding: splice(UnsafeRawBufferPointer(buf), found), as: UTF8.self)
            }
            return splice(s, found, upTo: buf.count)
        }
    }

    /// Slices of `s` (already valid UTF-8, so nothing is re-validated) around the labels of `found`, up
    /// to byte `end`. Every match must sit on character boundaries.
    func splice(_ s: String, _ found: [PatternIndex.Match], upTo end: Int) -> String {
        let utf8 = s.utf8
        var out = ""
        out.reserveCapacity(end + found.count * 32)
        var copied = utf8.startIndex
        var copiedOffset = 0
        for m in found {
            let start = utf8.index(copied, offsetBy: m.at - copiedOffset)
            out.append(contentsOf: s[copied..<start])
            out.append(labels[m.replacement])
            copied = utf8.index(start, offsetBy: m.length)
            copiedOffset = m.at + m.length
        }
        out.append(contentsOf: s[copied..<utf8.index(copied, offsetBy: end - copiedOffset)])
        return out
    }

    /// The bytes with every match in `found` replaced by its label.
    func splice(_ text: UnsafeRawBufferPointer, _ found: [PatternIndex.Match]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + found.count * 32)
        var copied = 0
        for m in found {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[copied..<m.at]))
            out.append(contentsOf: index.replacements[m.replacement])
            copied = m.at + m.length
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[copied...]))
        return out
    }

    /// Every occurrence of any form, in order; occurrences that overlap (an exact form and a folded
    /// one, or two secrets) are merged into one span, so no part of either is left showing.
    func matches(in text: UnsafeRawBufferPointer) -> [PatternIndex.Match] {
        let exact = index.matches(in: text)
        let foldedFound = folded.matches(in: text)
        if foldedFound.isEmpty { return exact }
        if exact.isEmpty { return foldedFound }
        var all = (exact + foldedFound).sorted { $0.at != $1.at ? $0.at < $1.at : $0.length > $1.length }
        var merged: [PatternIndex.Match] = [all.removeFirst()]
        for m in all {
            let last = merged[merged.count - 1]
            if m.at < last.at + last.length {
                merged[merged.count - 1].length = max(last.length, m.at + m.length - last.at)
            } else {
                merged.append(m)
            }
        }
        return merged
    }

    /// Redacts the part of `text` that no later text can change, for text arriving in pieces: returns
    /// it, and the raw rest to hold until the next piece (or to pass to `redact` at the end).
    ///
    /// A secret not yet complete must start within the last `longestForm - 1` bytes, so only those are
    /// held (none when the vault is empty: no added latency); a whole secret that starts before that
    /// window and ends inside it is redacted and let through.
    public func redactSettled(_ text: String) -> (settled: String, held: String) {
        let window = longestForm - 1
        if window <= 0 { return (text, "") }
        var copy = text
        return copy.withUTF8 { buf -> (String, String) in
            let n = buf.count
            guard n > window else { return ("", text) }
            let raw = UnsafeRawBufferPointer(buf)
            let found = matches(in: raw)
            var cut = n - window
            if let crossing = found.first(where: { $0.at < cut && $0.at + $0.length > cut }) {
                cut = crossing.at + crossing.length
            }
            while cut > 0 && Self.isContinuation(buf, cut) { cut -= 1 }
            if let inside = found.first(where: { $0.at < cut && $0.at + $0.length > cut }) { cut = inside.at }
            let settledMatches = found.filter { $0.at + $0.length <= cut }
            let onBoundaries = settledMatches.allSatisfy { m in
                !Self.isContinuation(buf, m.at) && !Self.isContinuation(buf, m.at + m.length)
            }
            let head: String
            if onBoundaries {
                head = splice(text, settledMatches, upTo: cut)
            } else {
                let bytes = splice(UnsafeRawBufferPointer(rebasing: raw[..<cut]), settledMatches)
                head = String(decoding: bytes, as: UTF8.self)
            }
            let tail = String(decoding: UnsafeRawBufferPointer(rebasing: raw[cut...]), as: UTF8.self)
            return (head, tail)
        }
    }

    private static func isContinuation(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i < buf.count && buf[i] & 0xC0 == 0x80
    }

    /// `bytes` with every known secret replaced.
    public func redact(bytes: [UInt8]) -> [UInt8] {
        if index.isEmpty { return bytes }
        return bytes.withUnsafeBytes { raw in
            let found = matches(in: raw)
            return found.isEmpty ? bytes : splice(raw, found)
        }
    }

    /// Whether `s` contains any known secret in any form.
    public func containsSecret(_ s: String) -> Bool {
        redact(s) != s
    }

    /// A snapshot with `label`'s value replaced (or added).
    public func replacing(label: String, with value: [UInt8]) -> Redactor {
        Redactor(secrets: secrets.filter { $0.label != label } + [Secret(label: label, value: value)])
    }

    /// A snapshot without `label`.
    public func removing(label: String) -> Redactor {
        Redactor(secrets: secrets.filter { $0.label != label })
    }
}
