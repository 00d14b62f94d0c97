@preconcurrency import CNCursesW
import NexusPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// The only code that talks to curses. It lives on the render thread and nowhere else: it starts
/// curses, turns `Style`s into colour pairs, paints diff runs, places the cursor and ends curses
/// exactly once.
final class CursesScreen {
    private(set) var rows: Int
    private(set) var cols: Int
    private var attrs: [Int32] = []
    private var pairs: [Int32] = []
    private var stopped = false
    let depth: Theme.Depth
    /// Mouse reporting (SGR) and bracketed paste: we decode them ourselves from stdin.
    static let enableModes = "\u{1B}[?1000h\u{1B}[?1006h\u{1B}[?2004h"
    static let disableModes = "\u{1B}[?2004l\u{1B}[?1006l\u{1B}[?1000l"

    /// Starts curses. The locale must be set first (`setlocale(LC_ALL, "")`) for wide characters.
    init?(colorMode: String, environment: [String: String], mouse: Bool) {
        guard nx_start() == 0 else { return nil }
        let colors = Int(nx_start_color())
        depth = Theme.depth(colors: colors, mode: colorMode, environment: environment)
        rows = Int(nx_lines())
        cols = Int(nx_cols())
        buildStyles(Theme(depth: depth))
        if mouse { Self.writeRaw(Self.enableModes) }
    }

    private func buildStyles(_ theme: Theme) {
        var nextPair: Int32 = 1
        var pairFor: [Int: Int32] = [:]
        for s in Style.allCases {
            let look = theme.look(s)
            var a: Int32 = 0
            if look.attrs.contains(.bold) { a |= nx_a_bold() }
            if look.attrs.contains(.dim) { a |= nx_a_dim() }
            if look.attrs.contains(.reverse) { a |= nx_a_reverse() }
            if look.attrs.contains(.underline) { a |= nx_a_underline() }
            var pair: Int32 = 0
            if depth != .mono, look.fg != -1 || look.bg != -1 {
                let key = (look.fg + 1) * 1000 + (look.bg + 1)
                if let p = pairFor[key] {
                    pair = p
                } else {
                    pair = nextPair
                    nextPair += 1
                    _ = nx_init_pair(pair, Int32(look.fg), Int32(look.bg))
                    pairFor[key] = pair
                }
            }
            attrs.append(a)
            pairs.append(pair)
        }
    }

    /// Paints the runs of a diff and places the cursor; one `doupdate` per frame.
    func draw(_ diff: FrameDiff, cursor: (row: Int, col: Int)?) {
        if diff.isFull { nx_clear_all() }
        var buf: [wchar_t] = []
        buf.reserveCapacity(256)
        for run in diff.runs {
            buf.removeAll(keepingCapacity: true)
            for u in run.text.unicodeScalars { buf.append(wchar_t(bitPattern: u.value)) }
            buf.append(0)
            let i = Int(run.style.rawValue)
            buf.withUnsafeBufferPointer { p in
                nx_put(Int32(run.row), Int32(run.col), p.baseAddress, Int32(p.count - 1), attrs[i], pairs[i])
            }
        }
        if let c = cursor, c.row < rows, c.col < cols {
            nx_cursor(Int32(c.row), Int32(c.col), 1)
        } else {
            nx_cursor(0, 0, 0)
        }
        nx_flush()
    }

    /// Reads the terminal's new size and tells curses; the next frame is drawn in full.
    func resize() {
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 {
            _ = nx_resize(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        rows = Int(nx_lines())
        cols = Int(nx_cols())
    }

    /// Ends curses (once), leaving the terminal as it was found.
    func stop() {
        guard !stopped else { return }
        stopped = true
        // A blank screen first: tmux, after a resize, copies rows of the alternate screen back
        // into the main one when we leave it; blank rows leave nothing behind.
        nx_clear_all()
        nx_cursor(0, 0, 1)
        nx_flush()
        Self.writeRaw(Self.disableModes)
        _ = nx_stop()
    }

    static func writeRaw(_ s: String) { Descriptor.writeAll(1, Array(s.utf8)) }
}
