@preconcurrency import CLibEdit
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

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
        let entries = encodedNewest(count, scratch: path + ".\(getpid()).tmp")
        guard !entries.isEmpty else { return }
        // Append and trim under one lock, held on a file of its own: the trim renames a new file over the
        // history, so a lock on the history itself would let another session append to the replaced one.
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if lock >= 0 { _ = flock(lock, LOCK_EX) }
        defer { if lock >= 0 { Glibc.close(lock) } }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        var st = stat()
        let isNew = fstat(fd, &st) == 0 && st.st_size == 0
        let text = (isNew ? [cookie] : []) + entries
        Descriptor.writeAll(fd, Array((text.joined(separator: "\n") + "\n").utf8))
        Glibc.close(fd)
        trim(path, to: Int(limit))
    }

    /// Keeps the newest `limit` entries, rewriting the file (temporary file, then rename) only when it holds
    /// more. libedit's `history_truncate_file` is not used: it drops the header, and then libedit reads
    /// nothing back.
    static func trim(_ path: String, to limit: Int) {
        let lines = readLines(path)
        let body = lines.first == cookie ? Array(lines.dropFirst()) : lines
        guard body.count > limit else { return }
        let temporary = path + ".\(getpid()).trim"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        Descriptor.writeAll(fd, Array((([cookie] + body.suffix(limit)).joined(separator: "\n") + "\n").utf8))
        let synced = fsync(fd) == 0
        Glibc.close(fd)
        if !synced || rename(temporary, path) != 0 { unlink(temporary) }
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
        unlink(scratch)
        defer { unlink(scratch) }
        guard append_history(Int32(count), scratch) == 0 else { return [] }
        let lines = readLines(scratch)
        let body = lines.first == cookie ? Array(lines.dropFirst()) : lines
        return Array(body.suffix(count))
    }

    static func readLines(_ path: String) -> [String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { Glibc.close(fd) }
        return Descriptor.readToEnd(fd).split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }
}
