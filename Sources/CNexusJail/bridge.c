// The proxy bridge, run by the sandbox's init: the command's only way out is 127.0.0.1:PORT inside
// its network namespace, and every connection there is spliced to the egress proxy's unix socket.
#define _GNU_SOURCE
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define NJ_MAX_CONN 64
#define NJ_BUF (64 * 1024)

typedef struct {
    int fd[2];          // 0: inside (tcp), 1: proxy (unix)
    int len[2], off[2]; // buffer d holds bytes read from fd[d], to be written to fd[1-d]
    int eof[2];         // fd[d] reached end of input
    int shut[2];        // fd[d] was shut for writing
} nj_conn;

static nj_conn conns[NJ_MAX_CONN];
static char bufs[NJ_MAX_CONN][2][NJ_BUF];

static void close_conn(nj_conn *c) {
    if (c->fd[0] >= 0) close(c->fd[0]);
    if (c->fd[1] >= 0) close(c->fd[1]);
    memset(c, 0, sizeof *c);
    c->fd[0] = c->fd[1] = -1;
}

static int connect_proxy(const char *path) {
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) { close(s); return -1; }
    fcntl(s, F_SETFL, O_NONBLOCK);
    return s;
}

/// Moves bytes one step for direction d; returns -1 when the connection is finished.
static int pump(nj_conn *c, int i, int d, short rev_in) {
    int src = c->fd[d], dst = c->fd[1 - d];
    if ((rev_in & (POLLIN | POLLHUP | POLLERR)) && c->len[d] == 0 && !c->eof[d]) {
        ssize_t n = read(src, bufs[i][d], NJ_BUF);
        if (n > 0) { c->len[d] = (int)n; c->off[d] = 0; }
        else if (n == 0 || (errno != EAGAIN && errno != EINTR)) c->eof[d] = 1;
    }
    if (c->len[d] > 0) {  // nonblocking: a full peer just leaves the bytes for the next round
        ssize_t n = write(dst, bufs[i][d] + c->off[d], (size_t)(c->len[d] - c->off[d]));
        if (n > 0) { c->off[d] += (int)n; if (c->off[d] == c->len[d]) c->len[d] = c->off[d] = 0; }
        else if (n < 0 && errno != EAGAIN && errno != EINTR) return -1;
    }
    if (c->eof[d] && c->len[d] == 0 && !c->shut[1 - d]) { shutdown(dst, SHUT_WR); c->shut[1 - d] = 1; }
    if (c->eof[0] && c->eof[1] && c->len[0] == 0 && c->len[1] == 0) return -1;
    return 0;
}

void nj_bridge_loop(int listen_fd, const char *unix_path, pid_t main_child, int sigfd, int *main_status) {
    for (int i = 0; i < NJ_MAX_CONN; i++) { memset(&conns[i], 0, sizeof conns[i]); conns[i].fd[0] = conns[i].fd[1] = -1; }
    struct pollfd pfd[2 + 2 * NJ_MAX_CONN];
    int owner[2 + 2 * NJ_MAX_CONN];
    for (;;) {
        int n = 0;
        pfd[n].fd = sigfd; pfd[n].events = POLLIN; owner[n++] = -1;
        pfd[n].fd = listen_fd; pfd[n].events = POLLIN; owner[n++] = -1;
        for (int i = 0; i < NJ_MAX_CONN; i++) {
            nj_conn *c = &conns[i];
            if (c->fd[0] < 0) continue;
            for (int d = 0; d < 2; d++) {
                short ev = 0;
                if (c->len[d] == 0 && !c->eof[d]) ev |= POLLIN;
                if (c->len[1 - d] > 0) ev |= POLLOUT;
                pfd[n].fd = c->fd[d]; pfd[n].events = ev; owner[n++] = i;
            }
        }
        int r = poll(pfd, (nfds_t)n, -1);
        if (r < 0) { if (errno == EINTR) continue; return; }
        if (pfd[0].revents) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof si) > 0) {}
            int st;
            pid_t w;
            while ((w = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
                if (w == main_child) { *main_status = st; return; }
            }
        }
        if (pfd[1].revents & POLLIN) {
            int s = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (s >= 0) {
                int slot = -1;
                for (int i = 0; i < NJ_MAX_CONN; i++) if (conns[i].fd[0] < 0) { slot = i; break; }
                int u = slot >= 0 ? connect_proxy(unix_path) : -1;
                if (u < 0) close(s);
                else { conns[slot].fd[0] = s; conns[slot].fd[1] = u; }
            }
        }
        for (int k = 2; k < n; k += 2) {
            int i = owner[k];
            nj_conn *c = &conns[i];
            if (c->fd[0] < 0) continue;
            // pfd[k] is fd[0] (inside), pfd[k+1] is fd[1] (proxy)
            if (pump(c, i, 0, pfd[k].revents) < 0 || pump(c, i, 1, pfd[k + 1].revents) < 0)
                close_conn(c);
        }
    }
}
