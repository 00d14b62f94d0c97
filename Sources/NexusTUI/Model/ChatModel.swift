import NexusCore

/// The conversation as the chat pane shows it: blocks fed by bus events, and a scroll position.
///
/// Scrolling counts rows from the bottom; 0 follows the stream. When scrolled up, new rows push the
/// offset up by as much, so what the person is reading stays put while the answer streams on.
public struct ChatModel: Sendable {
    public private(set) var blocks: [ChatBlock] = []
    /// Rows scrolled up from the bottom (0 = following).
    public private(set) var scrollOffset = 0
    var lastTotalRows = 0
    var lastHeight = 0
    /// Oldest blocks are dropped past this many, so memory stays bounded in a long session.
    public var maxBlocks = 2_000

    public init() {}

    /// One row ready to draw: a slice of a line of a block.
    public struct Row: Sendable {
        public var block: Int
        public var line: Int
        public var range: Range<Int>
        public var isFirstOfBlock: Bool
    }

    public mutating func add(_ block: ChatBlock) {
        if let i = blocks.indices.last { blocks[i].isStreaming = false }
        blocks.append(block)
        if blocks.count > maxBlocks { blocks.removeFirst(blocks.count - maxBlocks) }
    }

    /// Appends a streamed token to the open assistant block of `turn`, opening one if needed.
    public mutating func appendToken(_ text: String, turn: Int) {
        if let i = blocks.indices.last, blocks[i].kind == .assistant, blocks[i].isStreaming, blocks[i].turnID == turn {
            blocks[i].append(text)
        } else {
            var b = ChatBlock(kind: .assistant, turnID: turn, text: text)
            b.isStreaming = true
            add(b)
        }
    }

    /// True when `turn` already has assistant text (so a `final` event need not repeat it).
    public func hasAssistantText(turn: Int) -> Bool {
        blocks.reversed().prefix(while: { $0.turnID == turn || $0.kind != .user }).contains {
            $0.kind == .assistant && $0.turnID == turn
        }
    }

    public mutating func closeStreaming() {
        if let i = blocks.indices.last { blocks[i].isStreaming = false }
    }

    /// Appends a line to the approval block with `id` (the recorded answer).
    public mutating func annotateApproval(id: String, _ text: String) {
        guard let i = blocks.lastIndex(where: { $0.approvalID == id }) else { return }
        blocks[i].append("\n" + text)
    }

    public func hasApproval(id: String) -> Bool { blocks.contains { $0.approvalID == id } }

    public mutating func clear() {
        blocks.removeAll()
        scrollOffset = 0
        lastTotalRows = 0
    }

    // MARK: scrolling

    public mutating func scroll(by rows: Int) {
        scrollOffset = max(0, min(scrollOffset + rows, max(0, lastTotalRows - lastHeight)))
    }

    public mutating func pageUp() { scroll(by: max(1, lastHeight - 2)) }
    public mutating func pageDown() { scroll(by: -max(1, lastHeight - 2)) }
    public mutating func scrollToBottom() { scrollOffset = 0 }

    // MARK: layout

    /// The rows visible in a pane of `width` x `height` (content width; the two-column gutter is
    /// the renderer's), top to bottom. Re-wraps only what changed since the last call.
    public mutating func visibleRows(width: Int, height: Int) -> [Row] {
        let w = max(1, width)
        var total = 0
        for i in blocks.indices {
            total += blocks[i].layout(width: w) + (i > 0 ? 1 : 0)
        }
        if scrollOffset > 0, total > lastTotalRows, lastHeight == height { scrollOffset += total - lastTotalRows }
        lastTotalRows = total
        lastHeight = height
        scrollOffset = max(0, min(scrollOffset, max(0, total - height)))

        var out: [Row] = []
        out.reserveCapacity(height)
        var skip = scrollOffset
        var b = blocks.count - 1
        while b >= 0, out.count < height {
            var rowsRev: [Row] = []
            let block = blocks[b]
            outer: for l in block.lines.indices.reversed() {
                let line = block.lines[l]
                for (k, r) in line.rows.enumerated().reversed() {
                    if skip > 0 {
                        skip -= 1
                        continue
                    }
                    rowsRev.append(Row(block: b, line: l, range: r, isFirstOfBlock: l == 0 && k == 0))
                    if out.count + rowsRev.count >= height { break outer }
                }
            }
            out.append(contentsOf: rowsRev)
            if b > 0, out.count < height {
                if skip > 0 {
                    skip -= 1
                } else {
                    out.append(Row(block: -1, line: 0, range: 0..<0, isFirstOfBlock: false))
                }
            }
            b -= 1
        }
        return out.reversed()
    }

    /// Rows above and below the visible window, for scroll indicators.
    public var rowsBelow: Int { scrollOffset }
    public var totalRows: Int { lastTotalRows }
}
