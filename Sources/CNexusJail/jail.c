// The jail: clone into fresh namespaces, build a root filesystem from scratch, pivot into it, and
// start the command with every layer applied. Runs between fork and exec: syscalls only, no malloc.
#define _GNU_SOURCE
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <net/if.h>
#include <poll.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void nj_put_status(int fd, int kind, int value, int step) {
    nj_status st = {kind, value, step, 0};
    ssize_t r;
    do { r = write(fd, &st, sizeof st); } while (r < 0 && errno == EINTR);
}

__attribute__((noreturn)) void nj_fail(int step) {
    nj_put_status(NJ_STATUS_FD, NJ_STATUS_SETUP_FAILED, errno, step);
    _exit(126);
}

// glibc's setresuid & co. broadcast to every thread glibc believes exists; in a child cloned from
// a multithreaded process those threads are gone and the broadcast waits forever. Raw syscalls
// change only the calling thread, which is all the child has.
static int raw_setresuid(uid_t u) { return (int)syscall(SYS_setresuid, u, u, u); }
static int raw_setresgid(gid_t g) { return (int)syscall(SYS_setresgid, g, g, g); }
static int raw_setgroups0(void) { return (int)syscall(SYS_setgroups, 0, NULL); }

static pid_t raw_fork(unsigned long flags) {
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static const char *env_path(const char *const *envp) {
    for (const char *const *e = envp; e && *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0) return *e + 5;
    return "/usr/local/bin:/usr/bin:/bin";
}

/// execvpe that searches the command's PATH, not ours.
static void exec_search(const char *const *argv, const char *const *envp) {
    const char *name = argv[0];
    if (!name || !*name) { errno = ENOENT; return; }
    if (strchr(name, '/')) { execve(name, (char *const *)argv, (char *const *)envp); return; }
    const char *path = env_path(envp);
    int seen_eacces = 0;
    char buf[NJ_PATH];
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (len + strlen(name) + 2 < sizeof buf) {
            memcpy(buf, path, len);
            buf[len] = '/';
            strcpy(buf + len + 1, name);
            execve(buf, (char *const *)argv, (char *const *)envp);
            if (errno == EACCES) seen_eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR) return;
        }
        if (!end) break;
        path = end + 1;
    }
    errno = seen_eacces ? EACCES : ENOENT;
}

/// Arms the parent-death signal again after a change of uid or gid, which clears it (prctl(2)): without
/// this, a jailer killed with SIGKILL (or by the OOM killer) left its sandbox running, unsupervised.
/// Exits when the jailer is already gone (its end of the status pipe closed), which the signal cannot tell.
static void rearm_parent_death(void) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    struct pollfd p = {.fd = NJ_STATUS_FD, .events = 0, .revents = 0};
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) _exit(1);
}

/// The Landlock ruleset for the command, built while the process can still reach every path (tier B
/// opens them before it drops to the sandbox's uid); -1 when Landlock is off.
static int landlock_ruleset(const nj_config *cfg, int namespaced) {
    if (cfg->landlock_abi <= 0) return -1;
    const char *rw[NJ_MAX_GRANTS + 8] = {0}, *ro[NJ_MAX_GRANTS + 64] = {0};
    static const char *const devw[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", NULL};
    int nr = 0, nw = 0;
    if (namespaced) {
        ro[nr++] = "/";
        rw[nw++] = "/tmp";
        rw[nw++] = "/dev/shm";
        if (cfg->workspace && cfg->workspace_writable) rw[nw++] = "/workspace";
        if (cfg->data_dir) rw[nw++] = "/data";
    } else {
        // No mount namespace: the host's tree, narrowed to system directories and the same
        // handful of /etc entries the tier A root gets (never /etc/shadow, never a home).
        static const char *const sys[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/proc", "/dev", NULL};
        for (const char *const *s = sys; *s; s++) ro[nr++] = *s;
        for (const char *const *e = nj_etc_entries; *e && nr < 60; e++) ro[nr++] = *e;
        if (cfg->tmp_dir) rw[nw++] = cfg->tmp_dir;
        if (cfg->workspace) { if (cfg->workspace_writable) rw[nw++] = cfg->workspace; else ro[nr++] = cfg->workspace; }
        if (cfg->data_dir) rw[nw++] = cfg->data_dir;
    }
    // Grants sit at the same path in both cases (tier A binds them into the new root).
    for (int i = 0; cfg->grants && cfg->grants[i] && i < NJ_MAX_GRANTS; i++) {
        if (cfg->grant_writable && cfg->grant_writable[i]) rw[nw++] = cfg->grants[i];
        else ro[nr++] = cfg->grants[i];
    }
    int rs = nj_landlock_prepare(cfg, cfg->landlock_abi, ro, rw, devw);
    if (rs < 0) nj_fail(NJ_STEP_LANDLOCK);
    return rs;
}

/// The command's own process: last layers, then exec. Never returns.
__attribute__((noreturn)) static void run_command(const nj_config *cfg, int namespaced) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < 32; s++) if (s != SIGKILL && s != SIGSTOP) signal(s, SIG_DFL);
    setsid();
    syscall(SYS_close_range, 4, ~0U, 0);
    const char *cwd = namespaced ? (cfg->data_dir ? "/data" : cfg->workspace ? "/workspace" : "/tmp")
                                 : (cfg->data_dir ? cfg->data_dir : cfg->workspace ? cfg->workspace : cfg->tmp_dir);
    if (cwd && chdir(cwd) != 0) nj_fail(NJ_STEP_CHDIR);
    if (nj_apply_rlimits(cfg) != 0) nj_fail(NJ_STEP_RLIMIT);
    int ruleset = landlock_ruleset(cfg, namespaced);
    if (!namespaced && cfg->tier == 'B') {
        for (int c = 0; c <= 63; c++) prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
        gid_t g = cfg->host_gid;
        if (raw_setgroups0() != 0 || raw_setresgid(g) != 0 || raw_setresuid(cfg->host_uid) != 0)
            nj_fail(NJ_STEP_SETUID);
        rearm_parent_death();
    }
    if (namespaced && nj_drop_capabilities() != 0) nj_fail(NJ_STEP_CAPS);
    if (!namespaced && cfg->tier == 'C') (void)nj_drop_capabilities();  // best effort: we may have none
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) nj_fail(NJ_STEP_NNP);
    if (ruleset >= 0 && nj_landlock_enforce(ruleset) != 0) nj_fail(NJ_STEP_LANDLOCK);
    if (cfg->use_seccomp && nj_apply_seccomp(cfg->deny_inet) != 0) nj_fail(NJ_STEP_SECCOMP);
    exec_search(cfg->argv, cfg->envp);
    nj_put_status(NJ_STATUS_FD, NJ_STATUS_EXEC_FAILED, errno, 0);
    _exit(127);
}

/// Puts the caller's descriptors where the child expects them: 0-2 stdio, 3 status, and `keep` at 4.
static void arrange_fds(const nj_config *cfg, int *keep) {
    int in = cfg->stdin_fd >= 0 ? fcntl(cfg->stdin_fd, F_DUPFD_CLOEXEC, 10) : -1;
    int out = cfg->stdout_fd >= 0 ? fcntl(cfg->stdout_fd, F_DUPFD_CLOEXEC, 10) : -1;
    int err = cfg->stderr_fd >= 0 ? fcntl(cfg->stderr_fd, F_DUPFD_CLOEXEC, 10) : -1;
    int st = fcntl(cfg->status_fd, F_DUPFD_CLOEXEC, 10);
    int k = keep && *keep >= 0 ? fcntl(*keep, F_DUPFD_CLOEXEC, 10) : -1;
    if (in >= 0) dup2(in, 0);
    if (out >= 0) dup2(out, 1);
    if (err >= 0) dup2(err, 2);
    dup3(st, NJ_STATUS_FD, O_CLOEXEC);
    if (k >= 0) { dup3(k, 4, O_CLOEXEC); *keep = 4; }
    syscall(SYS_close_range, k >= 0 ? 5 : 4, ~0U, 0);
}

__attribute__((noreturn)) static void supervise(const nj_config *cfg, int namespaced);

__attribute__((noreturn)) static void init_main(const nj_config *cfg, int syncfd) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);  // the jailer's death ends the sandbox
    int keep = syncfd;
    arrange_fds(cfg, &keep);
    if (nj_premount_receive(keep) != 0) nj_fail(NJ_STEP_SYNC);
    close(keep);
    if (raw_setresgid(0) != 0 || raw_setresuid(0) != 0) nj_fail(NJ_STEP_SETUID);
    rearm_parent_death();
    nj_build_root(cfg);
    sethostname("sandbox", 7);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // the command cannot read init's memory or environment
    supervise(cfg, 1);
}

/// The command's parent inside the network namespace (tier A's init, tier B's helper): brings up
/// loopback with the proxy bridge on 127.0.0.1:proxy_port (when there is a proxy), starts the
/// command, relays its proxy connections, and reports how it ended on the status pipe.
__attribute__((noreturn)) static void supervise(const nj_config *cfg, int namespaced) {
    int listener = -1;
    if (cfg->proxy_socket) {
        nj_loopback_up();
        listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int one = 1;
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)cfg->proxy_port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 || listen(listener, 64) != 0)
            nj_fail(NJ_STEP_BRIDGE);
    }
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0) nj_fail(NJ_STEP_SIGNALS);
    int sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd < 0) nj_fail(NJ_STEP_SIGNALS);
    pid_t child = raw_fork(0);
    if (child < 0) nj_fail(NJ_STEP_FORK);
    if (child == 0) run_command(cfg, namespaced);
    // The command owns stdio now; init keeps none so readers see EOF when the sandbox ends.
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull >= 0) { dup2(devnull, 0); dup2(devnull, 1); dup2(devnull, 2); close(devnull); }
    nj_put_status(NJ_STATUS_FD, NJ_STATUS_READY, child, 0);
    int status = 0;
    if (listener >= 0) {
        nj_bridge_loop(listener, namespaced ? "/run/nexus-proxy.sock" : cfg->proxy_socket, child, sigfd, &status);
    } else {
        for (;;) {
            pid_t w = waitpid(-1, &status, __WALL);
            if (w == child) break;
            if (w < 0 && errno != EINTR) break;
        }
    }
    // Whatever the command left behind dies with it: the whole pid namespace in tier A (tier B's
    // helper shares the host's pids; the jailer kills the sandbox's uid instead).
    if (namespaced) kill(-1, SIGKILL);
    if (WIFSIGNALED(status)) nj_put_status(NJ_STATUS_FD, NJ_STATUS_SIGNALED, WTERMSIG(status), 0);
    else nj_put_status(NJ_STATUS_FD, NJ_STATUS_EXITED, WEXITSTATUS(status), 0);
    _exit(0);
}

static int write_map(pid_t pid, const char *file, const char *data) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    return nj_write_file(path, data);
}

pid_t nj_spawn(const nj_config *cfg, int *err) {
    *err = 0;
    if (cfg->tier != 'A') {
        // Tier B as root: a network namespace of its own (with the proxy bridge) when the kernel gives one.
        int netns = cfg->tier == 'B' && cfg->net_namespace;
        pid_t pid = raw_fork(netns ? CLONE_NEWNET : 0);
        if (pid < 0) { *err = errno; return -1; }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            arrange_fds(cfg, NULL);
            if (netns) supervise(cfg, 0);
            run_command(cfg, 0);
        }
        return pid;
    }
    int sync[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) != 0) { *err = errno; return -1; }
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
    pid_t pid = raw_fork(flags);
    if (pid < 0) { *err = errno; close(sync[0]); close(sync[1]); return -1; }
    if (pid == 0) { init_main(cfg, sync[0]); }
    close(sync[0]);
    char map[64];
    int ok = write_map(pid, "setgroups", "deny") == 0;
    snprintf(map, sizeof map, "0 %u 1\n", (unsigned)cfg->host_gid);
    ok = ok && write_map(pid, "gid_map", map) == 0;
    snprintf(map, sizeof map, "0 %u 1\n", (unsigned)cfg->host_uid);
    ok = ok && write_map(pid, "uid_map", map) == 0;
    for (const char *const *cg = cfg->cgroup_procs; ok && cg && *cg; cg++) {
        char num[24];
        snprintf(num, sizeof num, "%d\n", (int)pid);
        nj_write_file(*cg, num);  // best effort: limits still hold through rlimits
    }
    if (!ok) {
        *err = errno;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(sync[1]);
        return -1;
    }
    // The go signal carries the prepared bind sources (none unless cfg->premount).
    if (nj_premount_send(cfg, pid, sync[1]) != 0) {
        *err = -errno;  // negative: preparing the bind sources failed, not the namespaces
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(sync[1]);
        return -1;
    }
    close(sync[1]);
    return pid;
}

int nj_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int nj_kill_uid(uid_t uid) {
    if (uid == 0) { errno = EPERM; return -1; }
    pid_t pid = raw_fork(0);
    if (pid < 0) return -1;
    if (pid == 0) {
        if (raw_setresuid(uid) != 0) _exit(1);
        kill(-1, SIGKILL);
        _exit(0);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return 0;
}

const char *nj_step_name(int step) {
    static const char *const names[] = {"?", "sync", "private mounts", "root tmpfs", "bind mounts", "/proc",
        "/dev", "/tmp", "workspace", "pivot_root", "loopback", "proxy bridge", "fork", "rlimits", "chdir",
        "capabilities", "no_new_privs", "landlock", "seccomp", "setuid", "signals", "path grants", "/data"};
    if (step < 0 || step > NJ_STEP_DATA) return "?";
    return names[step];
}

int nj_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
int nj_accept_cloexec(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC); }
int nj_become_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int nj_termination_fd(void *old) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGHUP);
    if (pthread_sigmask(SIG_BLOCK, &s, (sigset_t *)old) != 0) return -1;
    return signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
}

void nj_restore_signals(const void *old) { pthread_sigmask(SIG_SETMASK, (const sigset_t *)old, NULL); }

int nj_read_signal(int fd) {
    struct signalfd_siginfo si;
    return read(fd, &si, sizeof si) == (ssize_t)sizeof si ? (int)si.ssi_signo : 0;
}
