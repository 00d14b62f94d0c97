/// The parser's mutable tree, kept apart from the immutable `TOMLTable` it produces.
///
/// TOML forbids defining a table twice, extending an inline table, or mixing `[x]` with `[[x]]`; to tell
/// those apart the parser must remember *how* each table came to be (a header, a dotted key, or only as
/// a prefix of another header). Reference semantics make "open this table and keep adding to it" simple.
final class TOMLTableBuilder {
    enum Origin {
        /// Made only because a header named something below it (`[a.b]` makes `a`); `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]`.
        case header
        /// Made by a dotted key (`a.b = 1` makes `a`); may be extended by more dotted keys, not by a header.
        case dotted
        case root
    }

    enum Child {
        /// A plain value, a static array or an inline table: closed for good.
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        case tableArray(TOMLTableArrayBuilder)
    }

    var origin: Origin
    var line: Int
    private(set) var order: [String] = []
    private(set) var children: [String: Child] = [:]
    private(set) var keyLines: [String: Int] = [:]

    init(origin: Origin, line: Int) {
        self.origin = origin
        self.line = line
    }

    subscript(key: String) -> Child? { children[key] }
    func line(of key: String) -> Int { keyLines[key] ?? line }

    func add(_ key: String, _ child: Child, line: Int) {
        if children[key] == nil { order.append(key) }
        children[key] = child
        keyLines[key] = line
    }

    /// The finished, immutable table.
    func build() -> TOMLTable {
        var table = TOMLTable(line: line)
        for key in order {
            guard let child = children[key] else { continue }
            let keyLine = keyLines[key] ?? line
            switch child {
            case .value(let v):
                table.set(key, v, line: keyLine)
            case .table(let t):
                table.set(key, TOMLValue(.table(t.build()), line: t.line), line: keyLine)
            case .tableArray(let a):
                let items = a.tables.map { TOMLValue(.table($0.build()), line: $0.line) }
                table.set(key, TOMLValue(.array(items), line: a.line), line: keyLine)
            }
        }
        return table
    }
}

/// `[[name]]`: the tables appended so far; later headers below `name` go into the last one.
final class TOMLTableArrayBuilder {
    let line: Int
    var tables: [TOMLTableBuilder] = []
    init(line: Int) { self.line = line }
}
