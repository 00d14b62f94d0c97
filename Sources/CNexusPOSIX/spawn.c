// A tethered child: fork, arm the parent-death signal, check the parent is still there, set up the
// standard streams, working directory, group and signals, exec. Only async-signal-safe calls run in
// the child; an exec failure is reported to the parent through a close-on-exec pipe.
#define _GNU_SOURCE
#include "CNexusPOSIX.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void report_and_exit(int fd, int err) {
    ssize_t unused = write(fd, &err, sizeof err);
    (void)unused;
    _exit(127);
}

/// Puts `fd` at `target` (0-2) in the child, without close-on-exec.
static int place(int fd, int target) {
    if (fd < 0) return 0;
    if (fd == target) return fcntl(fd, F_SETFD, 0);
    return dup2(fd, target) < 0 ? -1 : 0;
}

pid_t nx_spawn_tethered(const char *path, char *const argv[], char *const envp[], int fd_in, int fd_out,
                        int fd_err, const char *cwd, int new_group, int reset_signals) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t parent = getpid();

    // No handler of this process may run in the child before exec: block everything across the fork.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(report[0]);
        if (new_group && setpgid(0, 0) != 0) report_and_exit(report[1], errno);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) report_and_exit(report[1], errno);
        // The parent may have died between fork and prctl: then no signal will come, so do not start.
        if (getppid() != parent) _exit(127);
        if (place(fd_in, 0) != 0 || place(fd_out, 1) != 0 || place(fd_err, 2) != 0) {
            report_and_exit(report[1], errno);
        }
        if (cwd && chdir(cwd) != 0) report_and_exit(report[1], errno);
        if (reset_signals) {
            int defaults[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
            struct sigaction dfl = {0};
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            for (unsigned i = 0; i < sizeof defaults / sizeof defaults[0]; i++) sigaction(defaults[i], &dfl, NULL);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(path, argv, envp);
        report_and_exit(report[1], errno);
    }
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        errno = fork_errno;
        return -1;
    }
    int child_errno = 0;
    ssize_t n;
    do {
        n = read(report[0], &child_errno, sizeof child_errno);
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof child_errno) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        errno = child_errno;
        return -1;
    }
    return pid;
}

int nx_parent_death_signal(void) {
    int sig = 0;
    return prctl(PR_GET_PDEATHSIG, &sig) == 0 ? sig : -1;
}
