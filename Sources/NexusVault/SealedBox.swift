import NexusCrypto

/// The on-disk form of one credential: versioned, randomly nonced, and bound to its row.
///
/// Layout (format 1):
///
///     sealed    = 0x01 | nonce[24] | crypto_secretbox_easy(key, nonce, plaintext)
///     plaintext = 0x01 | u16be len(module) | module | u16be len(name) | name | value
///
/// The format byte is repeated inside the authenticated plaintext so a hand-edited header cannot
/// change how the payload is read, and the module and name inside must equal the row's: a sealed
/// value copied to another row, or a row whose names were edited, fails to open.
enum SealedBox {
    static let format: UInt8 = 1
    static let nonceBytes = SecretBox.nonceBytes
    static let macBytes = SecretBox.macBytes
    static var minimumSealedCount: Int { 1 + nonceBytes + macBytes + 1 + 2 + 2 }

    /// Why a sealed payload did not open.
    enum OpenFailure: Error, Equatable {
        case truncated(count: Int)
        case unknownFormat(UInt8)
        case authentication
        case boundElsewhere(module: String, name: String)
    }

    static func seal(_ value: UnsafeRawBufferPointer, module: String, name: String, key: MasterKey) -> [UInt8] {
        Sodium.ensureInitialized()
        let m = Array(module.utf8)
        let n = Array(name.utf8)
        var plain: [UInt8] = []
        plain.reserveCapacity(5 + m.count + n.count + value.count)
        plain.append(format)
        appendLengthPrefixed(m, to: &plain)
        appendLengthPrefixed(n, to: &plain)
        plain.append(contentsOf: value)
        defer { Sodium.wipe(&plain) }

        let nonce = Sodium.randomBytes(nonceBytes)
        var out = [UInt8](repeating: 0, count: 1 + nonceBytes + macBytes + plain.count)
        out[0] = format
        out.withUnsafeMutableBufferPointer { o in
            guard let base = o.baseAddress else { return }
            for i in 0..<nonceBytes { base[1 + i] = nonce[i] }
            nonce.withUnsafeBufferPointer { nb in
                guard let np = nb.baseAddress else { return }
                SecretBox.seal(into: base + 1 + nonceBytes, plain: plain, nonce: np, key: key.buffer)
            }
        }
        return out
    }

    /// Opens `sealed` for the row (module, name); the value comes back in an ordinary array the
    /// caller should wipe (`Sodium.wipe`) once used.
    static func open(_ sealed: [UInt8], module: String, name: String, key: MasterKey) -> Result<[UInt8], OpenFailure> {
        Sodium.ensureInitialized()
        guard sealed.count >= minimumSealedCount else { return .failure(.truncated(count: sealed.count)) }
        guard sealed[0] == format else { return .failure(.unknownFormat(sealed[0])) }
        let cipherCount = sealed.count - 1 - nonceBytes
        var plain = [UInt8](repeating: 0, count: cipherCount - macBytes)
        let opened = sealed.withUnsafeBufferPointer { s -> Bool in
            guard let base = s.baseAddress else { return false }
            return plain.withUnsafeMutableBufferPointer { p in
                SecretBox.open(
                    into: p.baseAddress, cipher: base + 1 + nonceBytes, cipherCount: cipherCount, nonce: base + 1,
                    key: key.buffer)
            }
        }
        guard opened else { return .failure(.authentication) }
        // Authenticated from here on: a malformed inside means a bug or a forged key, not line noise.
        var cursor = 0
        guard plain.count >= 1, plain[0] == sealed[0] else {
            Sodium.wipe(&plain)
            return .failure(.unknownFormat(plain.first ?? 0))
        }
        cursor = 1
        guard let boundModule = readLengthPrefixed(plain, &cursor), let boundName = readLengthPrefixed(plain, &cursor)
        else {
            Sodium.wipe(&plain)
            return .failure(.truncated(count: sealed.count))
        }
        guard boundModule == Array(module.utf8), boundName == Array(name.utf8) else {
            Sodium.wipe(&plain)
            return .failure(
                .boundElsewhere(
                    module: String(decoding: boundModule, as: UTF8.self),
                    name: String(decoding: boundName, as: UTF8.self)))
        }
        let value = Array(plain[cursor...])
        Sodium.wipe(&plain)
        return .success(value)
    }

    private static func appendLengthPrefixed(_ bytes: [UInt8], to out: inout [UInt8]) {
        let n = min(bytes.count, Int(UInt16.max))
        out.append(UInt8(n >> 8))
        out.append(UInt8(n & 0xFF))
        out.append(contentsOf: bytes[0..<n])
    }

    private static func readLengthPrefixed(_ bytes: [UInt8], _ cursor: inout Int) -> [UInt8]? {
        guard cursor + 2 <= bytes.count else { return nil }
        let n = Int(bytes[cursor]) << 8 | Int(bytes[cursor + 1])
        cursor += 2
        guard cursor + n <= bytes.count else { return nil }
        defer { cursor += n }
        return Array(bytes[cursor..<cursor + n])
    }
}
