/// Scrubs every stored credential — and its base64, URL-encoded, hex and JSON-escaped forms — from
/// text leaving nexus, replacing each with `«redacted:module/name»`.
///
/// It is an immutable snapshot (`Sendable`): the vault builds a new one when a credential changes
/// and swaps it in, and writers (tool results before the model sees them, history, logs, events,
/// metrics, traces, the terminal) call `redact` on whichever snapshot they hold. One pass over the
/// bytes finds all secrets at once (see `PatternIndex`). Values shorter than 4 bytes cannot be
/// redacted without shredding ordinary text and are skipped (`nexus creds set` warns about them).
public struct Redactor: Sendable {
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
    /// `«redacted:label»` for each secret, by position.
    let labels: [String]

    public init(secrets: [Secret]) {
        self.secrets = secrets
        var patterns: [(bytes: [UInt8], owner: Int)] = []
        var replacements: [[UInt8]] = []
        for (i, s) in secrets.enumerated() {
            replacements.append(Array("«redacted:\(s.label)»".utf8))
            for form in RedactionForms.forms(of: s.value) { patterns.append((form, i)) }
        }
        index = PatternIndex(patterns: patterns, replacements: replacements)
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
            let found = index.matches(in: UnsafeRawBufferPointer(buf))
            if found.isEmpty { return s }
            // Splice slices of the original (already valid UTF-8, so nothing is re-validated) around the
            // labels. A match that does not sit on character boundaries (only a non-UTF-8 secret can do
            // that) falls back to decoding the redacted bytes.
            let onBoundaries = found.allSatisfy { m in
                !Self.isContinuation(buf, m.at) && !Self.isContinuation(buf, m.at + m.length)
            }
            guard onBoundaries else {
                return index.redact(UnsafeRawBufferPointer(buf)).map { String(decoding: $0, as: UTF8.self) } ?? s
            }
            let utf8 = s.utf8
            var out = ""
            out.reserveCapacity(buf.count + found.count * 32)
            var copied = utf8.startIndex
            var copiedOffset = 0
            for m in found {
                let start = utf8.index(copied, offsetBy: m.at - copiedOffset)
                out.append(contentsOf: s[copied..<start])
                out.append(labels[m.replacement])
                copied = utf8.index(start, offsetBy: m.length)
                copiedOffset = m.at + m.length
            }
            out.append(contentsOf: s[copied...])
            return out
        }
    }

    private static func isContinuation(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i < buf.count && buf[i] & 0xC0 == 0x80
    }

    /// `bytes` with every known secret replaced.
    public func redact(bytes: [UInt8]) -> [UInt8] {
        if index.isEmpty { return bytes }
        return bytes.withUnsafeBytes { index.redact($0) } ?? bytes
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
