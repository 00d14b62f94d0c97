#ifndef NEXUS_CNCURSESW_SHIM_H
#define NEXUS_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
static inline int nx_a_bold(void) { return (int)A_BOLD; }
static inline int nx_a_reverse(void) { return (int)A_REVERSE; }
static inline int nx_a_dim(void) { return (int)A_DIM; }
static inline int nx_a_underline(void) { return (int)A_UNDERLINE; }
static inline int nx_color_pair(int n) { return (int)COLOR_PAIR(n); }
#endif
