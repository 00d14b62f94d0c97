/// Turns the bytes a terminal sends in raw mode into `Key`s: UTF-8 text, control keys, CSI and SS3
/// escape sequences, SGR mouse reports and bracketed paste.
///
/// Bytes arrive in arbitrary chunks, so an incomplete sequence waits for the next `feed`. A lone
/// ESC is ambiguous (Escape key or the start of a sequence); the reader calls `flush()` when no
/// more bytes came within a short wait, which turns it into `.escape`.
public struct KeyDecoder: Sendable {
    var pending: [UInt8] = []
    var pasting = false
    var pasteBytes: [UInt8] = []

    public init() {}

    static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
    static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        pending.append(contentsOf: bytes)
        var keys: [Key] = []
        var i = 0
        while i < pending.count {
            if pasting {
                if let end = Self.find(Self.pasteEnd, in: pending, from: i) {
                    pasteBytes.append(contentsOf: pending[i..<end])
                    keys.append(.paste(String(decoding: pasteBytes, as: UTF8.self)))
                    pasteBytes = []
                    pasting = false
                    i = end + Self.pasteEnd.count
                    continue
                }
                // Keep a tail that could be the start of the end marker.
                let keep = min(Self.pasteEnd.count - 1, pending.count - i)
                pasteBytes.append(contentsOf: pending[i..<(pending.count - keep)])
                i = pending.count - keep
                break
            }
            guard let (key, used) = decodeOne(pending, at: i) else { break }
            i += used
            if let key { keys.append(key) }
        }
        pending.removeFirst(i)
        return keys
    }

    /// Called when input paused: a pending lone ESC (or ESC + char) is a key, not a sequence start.
    public mutating func flush() -> [Key] {
        guard !pasting, !pending.isEmpty else { return [] }
        var keys: [Key] = []
        if pending == [0x1B] {
            keys.append(.escape)
        } else if pending.count == 2, pending[0] == 0x1B, pending[1] == 0x5B || pending[1] == 0x4F {
            keys.append(.alt(Character(Unicode.Scalar(pending[1]))))
        }
        pending = []
        return keys
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// One key from `b[i...]`: nil when more bytes are needed; `(nil, n)` to skip `n` bytes.
    mutating func decodeOne(_ b: [UInt8], at i: Int) -> (Key?, Int)? {
        let c = b[i]
        switch c {
        case 0x1B:
            return decodeEscape(b, at: i)
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x09: return (.tab, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x00: return (.ctrl(" "), 1)
        case 0x01...0x1A:
            return (.ctrl(Character(Unicode.Scalar(c + 0x60))), 1)
        case 0x1C...0x1F: return (nil, 1)
        case 0x20...0x7E: return (.char(Character(Unicode.Scalar(c))), 1)
        default:
            let need: Int
            if c & 0xE0 == 0xC0 {
                need = 2
            } else if c & 0xF0 == 0xE0 {
                need = 3
            } else if c & 0xF8 == 0xF0 {
                need = 4
            } else {
                return (nil, 1)  // stray continuation byte
            }
            guard b.count - i >= need else { return nil }
            let s = String(decoding: b[i..<(i + need)], as: UTF8.self)
            guard let ch = s.first, s.unicodeScalars.first?.value != 0xFFFD else { return (nil, need) }
            return (.char(ch), need)
        }
    }

    mutating func decodeEscape(_ b: [UInt8], at i: Int) -> (Key?, Int)? {
        guard b.count > i + 1 else { return nil }
        let n = b[i + 1]
        if n == 0x5B {  // CSI
            var j = i + 2
            while j < b.count, !(0x40...0x7E).contains(b[j]) { j += 1 }
            guard j < b.count else { return b.count - i > 32 ? (.unknown, b.count - i) : nil }
            let params = String(decoding: b[(i + 2)..<j], as: UTF8.self)
            let final = b[j]
            let used = j - i + 1
            if Array(b[i..<(j + 1)]) == Self.pasteStart {
                pasting = true
                return (nil, used)
            }
            return (Self.csi(params: params, final: final), used)
        }
        if n == 0x4F {  // SS3
            guard b.count > i + 2 else { return nil }
            let k: Key
            switch b[i + 2] {
            case 0x41: k = .up
            case 0x42: k = .down
            case 0x43: k = .right
            case 0x44: k = .left
            case 0x48: k = .home
            case 0x46: k = .end
            case 0x50...0x53: k = .function(Int(b[i + 2]) - 0x4F)
            default: k = .unknown
            }
            return (k, 3)
        }
        if n == 0x1B { return (.escape, 1) }
        if let (k, used) = decodeOne(b, at: i + 1), let key = k, case .char(let ch) = key {
            return (.alt(ch), used + 1)
        }
        if (0x20...0x7E).contains(n) { return (.alt(Character(Unicode.Scalar(n))), 2) }
        return (.escape, 1)
    }

    static func csi(params: String, final: UInt8) -> Key {
        if params.hasPrefix("<"), final == 0x4D || final == 0x6D {  // SGR mouse
            let parts = params.dropFirst().split(separator: ";").compactMap { Int($0) }
            guard parts.count == 3 else { return .unknown }
            switch parts[0] & ~0x1C {
            case 64: return .wheelUp
            case 65: return .wheelDown
            case 0 where final == 0x4D: return .click(x: parts[1] - 1, y: parts[2] - 1)
            default: return .unknown
            }
        }
        let nums = params.split(separator: ";").map { Int($0) ?? 0 }
        let mod = nums.count > 1 ? nums[1] : 1
        switch final {
        case 0x41: return .up
        case 0x42: return .down
        case 0x43: return mod == 5 ? .ctrlRight : .right
        case 0x44: return mod == 5 ? .ctrlLeft : .left
        case 0x48: return .home
        case 0x46: return .end
        case 0x5A: return .backTab
        case 0x50...0x53: return .function(Int(final) - 0x4F)
        case 0x7E:
            switch nums.first ?? 0 {
            case 1, 7: return .home
            case 4, 8: return .end
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case 11...15: return .function((nums.first ?? 11) - 10)
            case 17...21: return .function((nums.first ?? 17) - 11)
            case 23, 24: return .function((nums.first ?? 23) - 12)
            default: return .unknown
            }
        default: return .unknown
        }
    }
}

extension KeyDecoder {
    /// Bytes are held back waiting for the rest of a sequence (the reader should time out and flush).
    public var isWaiting: Bool { !pending.isEmpty && !pasting }
}
