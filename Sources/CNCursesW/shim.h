#ifndef NEXUS_CNCURSESW_SHIM_H
#define NEXUS_CNCURSESW_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <pthread.h>
/* Names the calling thread (the TUI's render and input threads), for top -H and perf. */
static inline int nx_a_bold(void) { return (int)A_BOLD; }
static inline int nx_a_reverse(void) { return (int)A_REVERSE; }
static inline int nx_a_dim(void) { return (int)A_DIM; }
static inline int nx_a_underline(void) { return (int)A_UNDERLINE; }
static inline int nx_color_pair(int n) { return (int)COLOR_PAIR(n); }

/* From <term.h>, declared here because that header's lowercase macros (lines, columns...) leak. */
extern int setupterm(const char *term, int filedes, int *errret);

/* Everything NexusTUI's driver asks of curses, as plain functions (macros do not import). */
static inline int nx_start(void) {
    /* newterm, not initscr: initscr exits the process when the terminal is unknown. */
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return -1; /* with errret it reports instead of exiting */
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return -1;
    set_term(screen);
    raw();
    noecho();
    nonl();
    typeahead(-1);           /* we read stdin ourselves: never abort an update for pending input */
    intrflush(stdscr, FALSE);
    leaveok(stdscr, FALSE);
    scrollok(stdscr, FALSE);
    return 0;
}
static inline int nx_start_color(void) {
    if (!has_colors()) return 0;
    if (start_color() != OK) return 0;
    use_default_colors();
    return COLORS;
}
static inline int nx_init_pair(int pair, int fg, int bg) { return init_pair((short)pair, (short)fg, (short)bg); }
static inline int nx_lines(void) { return LINES; }
static inline int nx_cols(void) { return COLS; }
static inline void nx_put(int y, int x, const wchar_t *s, int n, int attrs, int pair) {
    wattr_set(stdscr, (attr_t)attrs, (short)pair, NULL);
    mvwaddnwstr(stdscr, y, x, s, n);
}
static inline void nx_cursor(int y, int x, int visible) {
    curs_set(visible ? 1 : 0);
    if (visible) wmove(stdscr, y, x);
}
static inline void nx_flush(void) { wnoutrefresh(stdscr); doupdate(); }
static inline void nx_clear_all(void) { wattr_set(stdscr, 0, 0, NULL); werase(stdscr); clearok(stdscr, TRUE); }
static inline int nx_resize(int lines, int cols) { return resizeterm(lines, cols); }
static inline int nx_stop(void) { return endwin(); }
#endif
