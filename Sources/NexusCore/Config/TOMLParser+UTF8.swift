/// UTF-8 validation up front, so a stray Latin-1 byte is reported with its line rather than silently
/// replaced by U+FFFD somewhere in a value.
extension TOMLParser {
    static func validateUTF8(_ b: [UInt8]) throws(TOMLError) {
        var i = 0
        var line = 1
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                if c == 0x0A { line += 1 }
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var value: UInt32
            switch c {
            case 0xC2...0xDF:
                length = 2
                minimum = 0x80
                value = UInt32(c & 0x1F)
            case 0xE0...0xEF:
                length = 3
                minimum = 0x800
                value = UInt32(c & 0x0F)
            case 0xF0...0xF4:
                length = 4
                minimum = 0x10000
                value = UInt32(c & 0x07)
            default:
                throw invalidByte(c, line: line)
            }
            guard i + length <= b.count else { throw invalidByte(c, line: line) }
            for k in 1..<length {
                let cont = b[i + k]
                guard cont & 0xC0 == 0x80 else { throw invalidByte(c, line: line) }
                value = value << 6 | UInt32(cont & 0x3F)
            }
            if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) {
                throw invalidByte(c, line: line)
            }
            i += length
        }
    }

    private static func invalidByte(_ c: UInt8, line: Int) -> TOMLError {
        let hex = String(c, radix: 16, uppercase: true)
        return TOMLError(
            line: line, "invalid UTF-8 (byte 0x\(hex.count < 2 ? "0" + hex : hex)); save the file as UTF-8")
    }
}
