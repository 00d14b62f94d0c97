/// Integers (decimal, hex, octal, binary, underscores), floats (incl. inf/nan) and dates kept as text.
extension TOMLParser {
    mutating func parseNumberOrDate() throws(TOMLError) -> TOMLValue {
        let valueLine = line
        let start = pos
        while let c = peek(), Self.isNumberByte(c) { pos += 1 }
        guard pos > start else {
            throw error("expected a value, found \(peek().map(describe) ?? "the end of the file")")
        }
        var token = Array(bytes[start..<pos])
        if Self.looksLikeDate(token) {
            // `1979-05-27 07:32:00`: a space may separate date and time.
            if peek() == 0x20, let a = peek(1), let b = peek(2), Self.isDigit(a), Self.isDigit(b), peek(3) == 0x3A {
                pos += 1
                let timeStart = pos
                while let c = peek(), Self.isNumberByte(c) { pos += 1 }
                token.append(0x20)
                token.append(contentsOf: bytes[timeStart..<pos])
            }
            let text = String(decoding: token, as: UTF8.self)
            guard Self.isValidDateTime(token) else { throw TOMLError(line: valueLine, "invalid date-time \(text)") }
            return TOMLValue(.dateTime(text), line: valueLine)
        }
        if token.count >= 3, Self.isDigit(token[0]), Self.isDigit(token[1]), token[2] == 0x3A {
            let text = String(decoding: token, as: UTF8.self)
            guard Self.isValidTime(token[...]) else { throw TOMLError(line: valueLine, "invalid time \(text)") }
            return TOMLValue(.dateTime(text), line: valueLine)
        }
        let text = String(decoding: token, as: UTF8.self)
        if let i = try Self.integer(token, line: valueLine) { return TOMLValue(.integer(i), line: valueLine) }
        if let d = Self.float(token) { return TOMLValue(.float(d), line: valueLine) }
        if token.allSatisfy(Self.isBareKeyByte) && !token.contains(where: Self.isDigit) {
            throw TOMLError(line: valueLine, "expected a value, found \(text) (strings need quotes)")
        }
        throw TOMLError(line: valueLine, "invalid number \(text)")
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    static func isNumberByte(_ c: UInt8) -> Bool {
        isBareKeyByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }

    /// Digits with single underscores between them (`1_000`), in the given radix.
    static func isDigitRun(_ s: ArraySlice<UInt8>, radix: Int = 10) -> Bool {
        guard let f = s.first, let l = s.last, f != 0x5F, l != 0x5F else { return false }
        var previousUnderscore = false
        for c in s {
            if c == 0x5F {
                if previousUnderscore { return false }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard let d = hexDigit(c), d < radix else { return false }
        }
        return true
    }

    /// nil when the token is not integer-shaped; throws when it is but does not fit in 64 bits.
    static func integer(_ token: [UInt8], line: Int) throws(TOMLError) -> Int? {
        var s = token[...]
        var negative = false
        var radix = 10
        if s.count > 2, s[s.startIndex] == 0x30 {
            switch s[s.startIndex + 1] {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: break
            }
            if radix != 10 { s = s.dropFirst(2) }
        }
        if radix == 10, let f = s.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        guard isDigitRun(s, radix: radix) else { return nil }
        if radix == 10, s.count > 1, s.first == 0x30 { return nil }  // leading zeros
        var value = 0
        for c in s where c != 0x5F {
            guard let d = hexDigit(c) else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 {
                throw TOMLError(line: line, "integer \(String(decoding: token, as: UTF8.self)) does not fit in 64 bits")
            }
            value = a
        }
        return value
    }

    /// `[+-]? int (. digits)? ([eE] [+-]? digits)?` with at least a fraction or an exponent; or inf/nan.
    static func float(_ token: [UInt8]) -> Double? {
        var s = token[...]
        var sign = 1.0
        if let f = s.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            if f == UInt8(ascii: "-") { sign = -1 }
            s = s.dropFirst()
        }
        if Array(s) == Array("inf".utf8) { return sign * .infinity }
        if Array(s) == Array("nan".utf8) { return .nan }
        let exponentAt = s.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = s[..<(exponentAt ?? s.endIndex)]
        let dotAt = mantissa.firstIndex(of: UInt8(ascii: "."))
        let intPart = mantissa[..<(dotAt ?? mantissa.endIndex)]
        guard isDigitRun(intPart), !(intPart.count > 1 && intPart.first == 0x30) else { return nil }
        if let dotAt {
            guard isDigitRun(mantissa[(dotAt + 1)...]) else { return nil }
        }
        if let exponentAt {
            var exp = s[(exponentAt + 1)...]
            if let f = exp.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { exp = exp.dropFirst() }
            guard isDigitRun(exp) else { return nil }
        }
        guard dotAt != nil || exponentAt != nil else { return nil }
        let cleaned = String(decoding: token.filter { $0 != 0x5F }, as: UTF8.self)
        return Double(cleaned)
    }

    // MARK: Dates

    static func looksLikeDate(_ t: [UInt8]) -> Bool {
        t.count >= 10 && t[0..<4].allSatisfy(isDigit) && t[4] == UInt8(ascii: "-")
    }

    static func number(_ s: ArraySlice<UInt8>) -> Int? {
        guard !s.isEmpty, s.allSatisfy(isDigit) else { return nil }
        return s.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// `YYYY-MM-DD`, optionally `T`/`t`/space and a time, optionally `Z` or `±HH:MM`.
    static func isValidDateTime(_ t: [UInt8]) -> Bool {
        guard t.count >= 10, t[7] == UInt8(ascii: "-"), let year = number(t[0..<4]), let month = number(t[5..<7]),
            let day = number(t[8..<10]), (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return false }
        if t.count == 10 { return true }
        guard [UInt8(ascii: "T"), UInt8(ascii: "t"), 0x20].contains(t[10]) else { return false }
        var time = t[11...]
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count >= 14 {
            let offset = time.suffix(6)
            let o = offset.startIndex
            if offset[o] == UInt8(ascii: "+") || offset[o] == UInt8(ascii: "-") {
                guard offset[o + 3] == 0x3A, let h = number(offset[(o + 1)..<(o + 3)]),
                    let m = number(offset[(o + 4)..<(o + 6)]), h < 24, m < 60
                else { return false }
                time = time.dropLast(6)
            }
        }
        return isValidTime(time)
    }

    /// `HH:MM:SS` with an optional `.fraction`.
    static func isValidTime(_ t: ArraySlice<UInt8>) -> Bool {
        guard t.count >= 8 else { return false }
        let s = t.startIndex
        guard t[s + 2] == 0x3A, t[s + 5] == 0x3A, let h = number(t[s..<(s + 2)]),
            let m = number(t[(s + 3)..<(s + 5)]), let sec = number(t[(s + 6)..<(s + 8)]), h < 24, m < 60, sec <= 60
        else { return false }
        if t.count == 8 { return true }
        return t[s + 8] == UInt8(ascii: ".") && number(t[(s + 9)...]) != nil
    }
}
