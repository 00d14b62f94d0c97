/// Which sandbox limit ended a module, read from the jailer's last words on the module's stderr
/// ("nexus: sandbox: stopped by the memory limit (512 MB)"), so a crash caused by a limit says so in
/// the tool result the model sees, in the module's last error and in `nexus doctor`, with the knob to
/// turn, instead of a bare "exit status 137".
public enum ModuleLimit {
    static let marker = "stopped by the "

    /// "memory limit (512 MB)" when `text` carries the jailer's report, else nil.
    public static func named(in text: String) -> String? {
        let bytes = Array(text.utf8)
        let needle = Array(marker.utf8)
        guard bytes.count >= needle.count else { return nil }
        var start: Int?
        for i in stride(from: bytes.count - needle.count, through: 0, by: -1)
        where bytes[i..<i + needle.count].elementsEqual(needle) {
            start = i + needle.count
            break
        }
        guard let start, let close = bytes[start...].firstIndex(of: UInt8(ascii: ")")) else { return nil }
        let name = String(decoding: bytes[start...close], as: UTF8.self)
        return name.contains("limit") || name.contains("timeout") ? name : nil
    }

    /// `message` led by the limit it names and how to raise it; unchanged when it names none. A module
    /// that died of an allocation failure (Python's MemoryError, C++'s bad_alloc) under an address-space
    /// limit of `memoryMB` was stopped by that limit too, though the jailer saw only an exit.
    public static func annotate(_ message: String, memoryMB: Int? = nil) -> String {
        if message.hasPrefix(lead) { return message }
        var found = named(in: message)
        if found == nil, let mb = memoryMB, outOfMemory.contains(where: { message.contains($0) }) {
            found = "memory limit (\(mb) MB)"
        }
        guard let limit = found else { return message }
        let knob: String
        if limit.hasPrefix("memory") {
            knob = "raise limits.memory_mb in its manifest or reinstall with --memory MB"
        } else if limit.hasPrefix("cpu") {
            knob =
                "raise limits.cpu_seconds in its manifest, reinstall with --cpu-seconds N, or set [modules] cpu_seconds"
        } else {
            knob = "see the module's log"
        }
        return lead + "\(limit) (\(knob)). " + message
    }

    static let lead = "the module was stopped by the "
    static let outOfMemory = ["MemoryError", "bad_alloc", "Cannot allocate memory", "out of memory"]
}
