@preconcurrency import CNCursesW

/// The ncurses linked in, for `nexus doctor`.
public enum CursesInfo {
    public static var version: String { curses_version().map { String(cString: $0) } ?? "ncurses (unknown version)" }
}
