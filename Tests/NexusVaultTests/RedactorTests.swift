import NexusCore
import NexusStore
import NexusVault
import Testing

@Suite struct RedactorTests {
    let secret = "tok_9fK2mQ7xLp4Zr8Vb"
    var redactor: Redactor { Redactor(secrets: [.init(label: "weather/api_key", value: Array(secret.utf8))]) }

    @Test func theRawValueIsReplacedWithItsLabel() {
        #expect(redactor.redact("key=\(secret); done") == "key=«redacted:weather/api_key»; done")
        #expect(redactor.redact(secret) == "«redacted:weather/api_key»")
        #expect(redactor.redact("\(secret)\(secret)") == "«redacted:weather/api_key»«redacted:weather/api_key»")
    }

    @Test func encodedFormsAreReplacedToo() {
        let bytes = Array(secret.utf8)
        let b64 = base64(bytes)
        let forms = [
            b64, b64.replacingOccurrences("=", " ").trimmingSpaces(), hex(bytes, upper: false), hex(bytes, upper: true),
        ]
        for form in forms {
            #expect(redactor.redact("x \(form) y") == "x «redacted:weather/api_key» y", "form \(form)")
        }
    }

    @Test func urlEncodedAndJSONEscapedFormsAreReplaced() {
        let odd = "p@ss w/rd\"+&=%"
        let r = Redactor(secrets: [.init(label: "m/pw", value: Array(odd.utf8))])
        #expect(r.redact("q=p%40ss%20w%2Frd%22%2B%26%3D%25&x=1") == "q=«redacted:m/pw»&x=1")
        #expect(r.redact("q=p%40ss+w%2Frd%22%2B%26%3D%25") == "q=«redacted:m/pw»")
        #expect(r.redact(#"{"password":"p@ss w/rd\"+&=%"}"#) == #"{"password":"«redacted:m/pw»"}"#)
        #expect(r.redact(#"{"password":"p@ss w\/rd\"+&=%"}"#) == #"{"password":"«redacted:m/pw»"}"#)
    }

    @Test func aSecretInsideABasicAuthHeaderIsCaughtAtAnyByteOffset() {
        for user in ["a", "ab", "abc", "user"] {
            let header = "Authorization: Basic " + base64(Array("\(user):\(secret)".utf8))
            let out = redactor.redact(header)
            #expect(out.contains("«redacted:weather/api_key»"), "user \(user): \(out)")
        }
    }

    @Test func theBase64OfTheSecretFollowedByANewlineIsCaught() {
        let out = redactor.redact("echo: " + base64(Array("\(secret)\n".utf8)))
        #expect(out.hasPrefix("echo: «redacted:weather/api_key»"), "\(out)")
    }

    @Test func textWithoutSecretsIsReturnedUnchanged() {
        let text = "Nothing to see here: tok_ tok_9fK2 99 bottles — ünïcödé ✓ 漢字"
        #expect(redactor.redact(text) == text)
        #expect(!redactor.containsSecret(text))
        #expect(Redactor.empty.redact(text + secret) == text + secret)
    }

    @Test func multiByteTextAroundASecretSurvives() {
        #expect(redactor.redact("漢字\(secret)✓é") == "漢字«redacted:weather/api_key»✓é")
    }

    @Test func theLongestOverlappingSecretWins() {
        let r = Redactor(secrets: [
            .init(label: "m/short", value: Array("abcd1234".utf8)),
            .init(label: "m/long", value: Array("abcd1234efgh5678".utf8)),
        ])
        #expect(r.redact("[abcd1234efgh5678] [abcd1234]") == "[«redacted:m/long»] [«redacted:m/short»]")
    }

    @Test func theByteVersionScrubsNonUTF8Secrets() {
        let raw: [UInt8] = [0xFF, 0x00, 0xFE, 0x80, 0x41, 0x42]
        let r = Redactor(secrets: [.init(label: "m/bin", value: raw)])
        let out = r.redact(bytes: [0x01] + raw + [0x02])
        #expect(out == [0x01] + Array("«redacted:m/bin»".utf8) + [0x02])
        #expect(r.redact("hex " + hex(raw, upper: false)) == "hex «redacted:m/bin»")
    }

    @Test func aNonUTF8SecretMatchingInsideACharacterIsStillRemoved() {
        let r = Redactor(secrets: [.init(label: "m/odd", value: [0xA9, 0x41, 0x42, 0x43])])
        let out = r.redact("caf\u{E9}ABC!")
        #expect(out == "caf\u{FFFD}«redacted:m/odd»!")
    }

    @Test func valuesShorterThanFourBytesAreNotRedacted() {
        let r = Redactor(secrets: [.init(label: "m/pin", value: Array("123".utf8))])
        #expect(r.redact("call 123 now") == "call 123 now")
    }

    @Test func theOnePassMatcherAgreesWithANaiveScanOnRandomText() {
        var rng = SplitMix(seed: 42)
        let secrets: [[UInt8]] = (0..<30).map { i in (0..<(6 + i % 20)).map { _ in UInt8(0x21 + rng.next() % 90) } }
        let r = Redactor(secrets: secrets.enumerated().map { .init(label: "m/s\($0.offset)", value: $0.element) })
        for _ in 0..<200 {
            var text: [UInt8] = []
            for _ in 0..<(rng.next() % 8) {
                text += (0..<(rng.next() % 40)).map { _ in UInt8(0x20 + rng.next() % 95) }
                text += secrets[Int(rng.next() % UInt64(secrets.count))]
            }
            let expected = naiveRedact(text, secrets: secrets)
            #expect(r.redact(bytes: text) == expected)
        }
    }

    @Test func theStoresRedactorFollowsEveryChange() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let store = try f.open(try f.database())
        try store.set(module: "m", name: "a", value: "first-secret-a", actor: .user(command: "t"))
        #expect(store.redactor.redact("x first-secret-a") == "x «redacted:m/a»")
        try store.set(module: "m", name: "b", value: "second-secret-b", actor: .user(command: "t"))
        try store.set(module: "m", name: "a", value: "replaced-secret-a", actor: .user(command: "t"))
        let r = store.redactor
        #expect(
            r.redact("second-secret-b replaced-secret-a first-secret-a")
                == "«redacted:m/b» «redacted:m/a» first-secret-a")
        try store.delete(module: "m", name: "b", actor: .user(command: "t"))
        #expect(store.redactor.count == 1)
        #expect(r.count == 2, "an earlier snapshot is never mutated")
        // A freshly opened store builds its redactor from the database.
        #expect(try f.open(try f.database()).redactor.redact("replaced-secret-a") == "«redacted:m/a»")
    }

    @Test func anAttachedHandleSwapsInEachNewSnapshot() throws {
        let f = VaultFixture()
        defer { f.remove() }
        let handle = RedactorHandle()
        #expect(handle.redact("early-secret-1") == "early-secret-1")
        let store = try f.open(try f.database())
        try store.set(module: "m", name: "a", value: "early-secret-1", actor: .user(command: "t"))
        store.attach(handle)
        #expect(handle.redact("x early-secret-1") == "x «redacted:m/a»")
        try store.set(module: "m", name: "b", value: "later-secret-2", actor: .user(command: "t"))
        #expect(handle.redact("later-secret-2") == "«redacted:m/b»")
        try store.delete(module: "m", name: "a", actor: .user(command: "t"))
        #expect(handle.redact("early-secret-1") == "early-secret-1")
    }

    /// Leftmost-longest over the raw forms only (the random secrets have no characters that other forms escape,
    /// and their base64/hex forms cannot occur in the random printable text by accident at these lengths).
    func naiveRedact(_ text: [UInt8], secrets: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < text.count {
            var best: (len: Int, id: Int)? = nil
            for (id, s) in secrets.enumerated() where i + s.count <= text.count && Array(text[i..<i + s.count]) == s {
                if best == nil || s.count > best!.len { best = (s.count, id) }
            }
            if let b = best {
                out += Array("«redacted:m/s\(b.id)»".utf8)
                i += b.len
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func base64(_ bytes: [UInt8]) -> String {
    let a = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let b0 = UInt32(bytes[i])
        let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
        let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
        let v = b0 << 16 | b1 << 8 | b2
        out.append(a[Int(v >> 18 & 63)])
        out.append(a[Int(v >> 12 & 63)])
        out.append(i + 1 < bytes.count ? a[Int(v >> 6 & 63)] : UInt8(ascii: "="))
        out.append(i + 2 < bytes.count ? a[Int(v & 63)] : UInt8(ascii: "="))
        i += 3
    }
    return String(decoding: out, as: UTF8.self)
}

func hex(_ bytes: [UInt8], upper: Bool) -> String {
    let d = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    return String(decoding: bytes.flatMap { [d[Int($0 >> 4)], d[Int($0 & 15)]] }, as: UTF8.self)
}

extension String {
    func trimmingSpaces() -> String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
