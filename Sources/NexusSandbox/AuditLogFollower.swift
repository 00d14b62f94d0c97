import NexusPOSIX

/// Follows a JSON Lines file that other processes append to, returning each complete line once.
///
/// It starts at the end of the file that is there when it starts (what was logged before is not news), and
/// at the beginning of one that appears later or replaces it (rotation: the path names a new file, after
/// the old one's last lines are read). A file that shrinks, or no longer holds the last bytes read where
/// they were, was truncated: reading starts again at its beginning. A last line without its newline waits
/// for the rest. A line longer than `lineLimit` is skipped up to its newline without being held in memory,
/// and reported in `skipped`. Each `poll` reads at most `pollLimit` bytes, so a huge file is caught up over
/// several polls, never in one long stall.
public struct AuditLogFollower {
    public let path: String
    public let lineLimit: Int
    public let pollLimit: Int
    private var file: FollowedFile?
    private var offset = 0
    private var partial: [UInt8] = []
    private var discarding = false
    /// The last bytes read (up to 64): when the file no longer holds them just before `offset`, it was
    /// truncated and written again, even if it has grown back past `offset` since.
    private var seen: [UInt8] = []

    /// What one poll found: complete lines, and why any bytes were passed over.
    public struct Batch: Sendable {
        public var lines: [ArraySlice<UInt8>] = []
        public var skipped: [String] = []
    }

    public init(path: String, lineLimit: Int = 16 << 10, pollLimit: Int = 4 << 20) {
        self.path = path
        self.lineLimit = max(1, lineLimit)
        self.pollLimit = max(1, pollLimit)
        // The file there now is followed from its end; one that appears later is new, so from its start.
        if let f = FollowedFile(path) {
            file = f
            offset = f.size ?? 0
            seen = f.read(at: max(0, offset - 64), count: min(64, offset)) ?? []
        }
    }

    /// Reads what was appended since the last poll.
    public mutating func poll() -> Batch {
        var batch = Batch()
        var budget = pollLimit
        if file == nil { open() }
        guard file != nil else { return batch }
        drain(&batch, budget: &budget)
        // Rotation: once the old file is read to its end, move to the file the path now names.
        if budget > 0, let now = FileIdentity.of(path), now != file?.identity {
            if !partial.isEmpty || discarding {
                batch.skipped.append("an unfinished last line of the rotated file")
            }
            file = nil
            open()
            if file != nil { drain(&batch, budget: &budget) }
        }
        return batch
    }

    private mutating func open() {
        guard let f = FollowedFile(path) else { return }
        offset = 0
        partial = []
        discarding = false
        seen = []
        file = f
    }

    private mutating func drain(_ batch: inout Batch, budget: inout Int) {
        guard let f = file, let size = f.size else { return }
        let rewritten = !seen.isEmpty && f.read(at: offset - seen.count, count: seen.count) != seen
        if size < offset || rewritten {
            batch.skipped.append("the file was truncated; reading it again from its start")
            offset = 0
            partial = []
            discarding = false
            seen = []
        }
        while offset < (f.size ?? 0), budget > 0 {
            let want = min(256 << 10, budget, (f.size ?? 0) - offset)
            guard let chunk = f.read(at: offset, count: want), !chunk.isEmpty else { return }
            offset += chunk.count
            budget -= chunk.count
            seen = Array((seen + chunk.suffix(64)).suffix(64))
            split(chunk, &batch)
        }
    }

    /// Cuts `chunk` into lines, carrying an unfinished one over to the next chunk.
    private mutating func split(_ chunk: [UInt8], _ batch: inout Batch) {
        var start = chunk.startIndex
        while start < chunk.endIndex {
            let newline = chunk[start...].firstIndex(of: 10)
            let end = newline ?? chunk.endIndex
            if discarding {
                if newline != nil { discarding = false }
            } else if partial.count + (end - start) > lineLimit {
                batch.skipped.append("a line over \(lineLimit) bytes")
                partial = []
                discarding = newline == nil
            } else if newline != nil {
                if partial.isEmpty && end == start {
                    // An empty line: nothing to report.
                } else if partial.isEmpty {
                    batch.lines.append(chunk[start..<end])
                } else {
                    batch.lines.append(ArraySlice(partial + chunk[start..<end]))
                    partial = []
                }
            } else {
                partial += chunk[start..<end]
            }
            start = newline.map { $0 + 1 } ?? chunk.endIndex
        }
    }
}
