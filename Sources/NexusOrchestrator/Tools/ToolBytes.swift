import NexusCore

/// Byte-for-byte equality of tool lists and schemas, for the picker's "has this list changed?". Not `==`: a String's
/// `==` compares canonical equivalence, which for a module's description of one letter and 200,000 combining marks
/// sorts the marks (seconds, on every turn it is asked); a byte compare is linear, and two lists that differ only in
/// how their text is encoded count as changed, which costs one rebuild, never a stale list.
enum ToolBytes {
    static func same(_ a: [ToolDefinition], _ b: [ToolDefinition]) -> Bool {
        guard a.count == b.count else { return false }
        // One array handed back again: the same storage, nothing to compare.
        let shared = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress }
        }
        if shared { return true }
        for (x, y) in zip(a, b) {
            guard same(x.name, y.name), same(x.description, y.description), same(x.inputSchema, y.inputSchema) else {
                return false
            }
        }
        return true
    }

    static func same(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Native strings hold their UTF-8 in one buffer: compared as memory, not byte by byte through an iterator.
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in x.elementsEqual(y) }
        }
        return (fast ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    /// Objects compare key by key in order (the same keys in another order count as changed).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): return same(x, y)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count, zip(x.keys, y.keys).allSatisfy({ same($0, $1) }) else { return false }
            return x.keys.allSatisfy { k in same(x[k] ?? .null, y[k] ?? .null) }
        default: return false
        }
    }
}
