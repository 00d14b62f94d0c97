#if canImport(Glibc)
    import Glibc
#endif

/// A small, safe arithmetic evaluator for the `calc` tool: a recursive-descent parser, no eval.
enum ArithmeticExpression {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func evaluate(_ text: String) throws -> Double {
        guard text.utf8.count <= 10_000 else { throw Failure(description: "expression longer than 10000 characters") }
        var p = Parser(chars: Array(text.unicodeScalars))
        let v = try p.expression(depth: 0)
        p.skip()
        guard p.i == p.chars.count else {
            throw Failure(description: "unexpected '\(p.chars[p.i])' at position \(p.i + 1)")
        }
        guard v.isFinite else { throw Failure(description: "result is not a finite number") }
        return v
    }

    static func format(_ v: Double) -> String {
        if v.rounded() == v, abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0

        mutating func skip() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }

        mutating func peek() -> Unicode.Scalar? {
            skip()
            return i < chars.count ? chars[i] : nil
        }

        mutating func expression(depth: Int) throws -> Double {
            guard depth < 200 else { throw Failure(description: "expression nested too deeply") }
            var v = try term(depth: depth)
            while let c = peek(), c == "+" || c == "-" {
                i += 1
                let r = try term(depth: depth)
                v = c == "+" ? v + r : v - r
            }
            return v
        }

        mutating func term(depth: Int) throws -> Double {
            var v = try power(depth: depth)
            while let c = peek(), c == "*" || c == "/" || c == "%" || c == "×" || c == "÷" {
                i += 1
                let r = try power(depth: depth)
                switch c {
                case "*", "×": v *= r
                case "%":
                    guard r != 0 else { throw Failure(description: "modulo by zero") }
                    v = fmod(v, r)
                default:
                    guard r != 0 else { throw Failure(description: "division by zero") }
                    v /= r
                }
            }
            return v
        }

        mutating func power(depth: Int) throws -> Double {
            let base = try unary(depth: depth)
            if let c = peek(), c == "^" {
                i += 1
                let exp = try power(depth: depth + 1)
                return pow(base, exp)
            }
            return base
        }

        mutating func unary(depth: Int) throws -> Double {
            if let c = peek(), c == "-" || c == "+" {
                i += 1
                let v = try unary(depth: depth + 1)
                return c == "-" ? -v : v
            }
            return try primary(depth: depth)
        }

        mutating func primary(depth: Int) throws -> Double {
            guard let c = peek() else { throw Failure(description: "unexpected end of expression") }
            if c == "(" {
                i += 1
                let v = try expression(depth: depth + 1)
                guard peek() == ")" else { throw Failure(description: "missing ')'") }
                i += 1
                return v
            }
            if c.properties.numericType != nil || c == "." {
                let start = i
                while i < chars.count, chars[i].properties.numericType != nil || chars[i] == "." || chars[i] == "_" {
                    i += 1
                }
                if i < chars.count, chars[i] == "e" || chars[i] == "E", i + 1 < chars.count,
                    chars[i + 1].properties.numericType != nil || chars[i + 1] == "-" || chars[i + 1] == "+"
                {
                    i += 2
                    while i < chars.count, chars[i].properties.numericType != nil { i += 1 }
                }
                var s = ""
                s.unicodeScalars.append(contentsOf: chars[start..<i].filter { $0 != "_" })
                guard let v = Double(s) else { throw Failure(description: "invalid number '\(s)'") }
                return v
            }
            if c.properties.isAlphabetic {
                let start = i
                while i < chars.count, chars[i].properties.isAlphabetic || chars[i].properties.numericType != nil {
                    i += 1
                }
                var name = ""
                name.unicodeScalars.append(contentsOf: chars[start..<i])
                switch name.lowercased() {
                case "pi": return Double.pi
                case "e": return M_E
                default: break
                }
                guard peek() == "(" else { throw Failure(description: "unknown name '\(name)'") }
                i += 1
                let arg = try expression(depth: depth + 1)
                guard peek() == ")" else { throw Failure(description: "missing ')' after \(name)(") }
                i += 1
                switch name.lowercased() {
                case "sqrt":
                    guard arg >= 0 else { throw Failure(description: "sqrt of a negative number") }
                    return arg.squareRoot()
                case "abs": return abs(arg)
                case "round": return arg.rounded()
                case "floor": return floor(arg)
                case "ceil": return ceil(arg)
                case "ln": return log(arg)
                case "log", "log10": return log10(arg)
                case "sin": return sin(arg)
                case "cos": return cos(arg)
                case "tan": return tan(arg)
                default: throw Failure(description: "unknown function '\(name)'")
                }
            }
            throw Failure(description: "unexpected '\(c)' at position \(i + 1)")
        }
    }
}
