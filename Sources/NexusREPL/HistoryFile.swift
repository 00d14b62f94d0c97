@preconcurrency import CLibEdit
import NexusPOSIX

/// The terminal history file, in libedit's format, appended to instead of rewritten: two sessions on one
/// home each keep their lines (rewriting from memory made the last one to quit drop the other's).
/// Lines are redacted before they are written (`scrubNewest`): a secret typed or pasted at the prompt
/// never reaches the file.
enum HistoryFile {
    static let cookie = "_HiStOrY_V2_"

    /// Appends the newest `count` in-memory entries to `path` (creating it 0600, with libedit's header),
    /// then cuts the file to the newest `limit` entries.
    static func appendNewest(_ count: Int, to path: String, limit: Int32) {
        guard count > 0 else { return }
        let entries = encodedNewest(count, scratch: path + ".\(ProcessControl.currentID).tmp")
        guard !entries.isEmpty else { return }
        // Append and trim under one lock, held on a file of its own: the trim renames a new file over the
        // history, so a lock on the history itself would let another session append to the replaced one.
        // A lock file that cannot be made must not cost the history: append unlocked then, as libedit would.
        let lock = try? FileLock(path: path + ".lock")
        defer { lock?.release() }
        do {
            try FileSystem.append(path, mode: 0o600) { isNew in
                Array((((isNew ? [cookie] : []) + entries).joined(separator: "\n") + "\n").utf8)
            }
        } catch {
            // The terminal history is a convenience, and the session is ending: say so, do not stop.
            Descriptor.writeAll(2, Array("nexus: warning: history not saved: \(error.userMessage)\n".utf8))
            return
        }
        trim(path, to: Int(limit))
    }

    /// Keeps the newest `limit` entries, rewriting the file (temporary file, then rename) only when it holds
    /// more. libedit's `history_truncate_file` is not used: it drops the header, and then libedit reads
    /// nothing back.
    static func trim(_ path: String, to limit: Int) {
        let lines = readLines(path)
        let body = lines.first == cookie ? Array(lines.dropFirst()) : lines
        guard body.count > limit else { return }
        let text = ([cookie] + body.suffix(limit)).joined(separator: "\n") + "\n"
        // An untrimmed history is only longer than asked: it is trimmed at the next save.
        try? FileSystem.writeAtomically(path, text: text, mode: 0o600)
    }

    /// Redacts the newest `count` in-memory entries, so libedit encodes (and the up arrow recalls) the
    /// redacted line. Done at the end of the session, so lines typed before the vault was open are
    /// redacted too. libedit's `replace_history_entry` addresses entries by event number, which is not
    /// the offset once older entries were dropped, so the history is rebuilt whole when a line changed.
    static func scrubNewest(_ count: Int, redact: (String) -> String) {
        let length = Int(history_length)
        var lines: [String] = []
        for offset in 0..<length {
            lines.append(history_get(history_base + Int32(offset))?.pointee.line.map { String(cString: $0) } ?? "")
        }
        var changed = false
        for i in max(0, length - count)..<length {
            let clean = redact(lines[i])
            if clean != lines[i] {
                lines[i] = clean
                changed = true
            }
        }
        guard changed else { return }
        clear_history()
        for line in lines { add_history(line) }
    }

    /// libedit's own encoding of the newest `count` entries, saved to a scratch file and read back:
    /// `append_history(n, …)` writes n + 1 entries in the libedit Debian 12 ships, so the count is
    /// taken from what it wrote, whatever the version.
    static func encodedNewest(_ count: Int, scratch: String) -> [String] {
        FileSystem.remove(scratch)
        defer { FileSystem.remove(scratch) }
        guard append_history(Int32(count), scratch) == 0 else { return [] }
        let lines = readLines(scratch)
        let body = lines.first == cookie ? Array(lines.dropFirst()) : lines
        return Array(body.suffix(count))
    }

    static func readLines(_ path: String) -> [String] {
        // A history that cannot be read (none yet, or unreadable) starts empty, as libedit's own would.
        let bytes = (try? FileSystem.read(path, wait: 0)) ?? []
        return bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }
}
