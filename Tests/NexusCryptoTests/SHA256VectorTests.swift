import NexusCrypto
import Testing

/// The module pin's hash is libsodium's SHA-256, checked against the FIPS 180-2 / NIST CAVP examples,
/// both in one call and fed in pieces of every size (the streaming path folder digests use).
@Suite struct SHA256VectorTests {
    static let vectors: [(message: [UInt8], digest: String)] = [
        ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ]

    @Test func emptyAbcAnd448BitMessagesMatchNIST() {
        for v in Self.vectors { #expect(SHA256.hex(v.message) == v.digest) }
    }

    @Test func oneMillionAsStreamedInChunksMatchesNIST() {
        var h = SHA256()
        for _ in 0..<1000 { h.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(SHA256.hexString(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func splittingTheInputAnywhereGivesTheSameDigest() {
        let message = Self.vectors[2].message
        for cut in 0...message.count {
            var h = SHA256()
            h.update(Array(message[..<cut]))
            h.update(Array(message[cut...]))
            #expect(SHA256.hexString(h.finalize()) == Self.vectors[2].digest)
        }
    }
}
