// CNexusJail: the syscall half of nexus's sandbox. Everything that must run between fork and exec
// (namespaces, mounts, pivot_root, capabilities, Landlock, seccomp, rlimits) lives here in C, because
// the Swift runtime is not safe to use in a forked child of a multithreaded process.
// Owned by NexusSandbox only.
#ifndef CNEXUSJAIL_H
#define CNEXUSJAIL_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What this machine offers; filled by nj_probe.
typedef struct nj_probe_report {
    int user_namespaces;   // 1 when a child could create user+mount+pid+net+ipc+uts namespaces
    int userns_error;      // errno when it could not
    int landlock_abi;      // 0 when Landlock is unavailable
    int seccomp;           // 1 when seccomp filters can be installed
    int is_root;           // euid 0
    int cap_setuid;        // CAP_SETUID in the effective set
    int no_new_privs;      // PR_SET_NO_NEW_PRIVS works
} nj_probe_report;

/// 1 when this process can create a network namespace without a user namespace (root; tier B).
int nj_probe_net_namespace(void);

void nj_probe(nj_probe_report *out);
/// Everything nj_probe finds except the namespace test (which costs a clone): user_namespaces = 0.
void nj_probe_layers(nj_probe_report *out);

/// How the jailed command is set up. Strings and arrays must stay valid until nj_spawn returns.
typedef struct nj_config {
    int tier;                    // 'A' namespaces, 'B' dedicated uid, 'C' degraded
    int landlock_abi;            // 0 = skip Landlock
    int use_seccomp;
    int deny_inet;               // 1: no AF_INET/AF_INET6 sockets (no proxy: exec mode); 2: no datagram sockets
                                 // (a proxy without a network namespace: degraded tiers B/C)
    int net_namespace;           // tier B: run in a network namespace of its own (the proxy through the bridge)
    const char *newroot;         // empty directory for the new root (tier A)
    const char *tmp_dir;         // private writable directory standing in for /tmp (tiers B and C)
    const char *const *cgroup_procs; // NULL-terminated cgroup.procs files to put the sandbox in, or NULL
    const char *workspace;       // host path or NULL
    int workspace_writable;
    const char *proxy_socket;    // host path of the egress proxy's unix socket, or NULL
    int proxy_port;              // TCP port of the bridge inside the sandbox (when proxy_socket)
    const char *const *argv;     // NULL-terminated
    const char *const *envp;     // NULL-terminated
    const char *const *grants;   // NULL-terminated host paths (directories or files) bound at the same path, or NULL;
                                 // parents come before what they contain
    const int *grant_writable;   // one flag per grant: 1 read-write, 0 read-only
    const char *data_dir;        // host directory bound read-write at /data (the command's cwd), or NULL
    int premount;                // tier A: the jailer opens every bind source itself (open_tree) and hands the
                                 // detached mounts to the jail, so sources the sandbox's uid cannot reach
                                 // still mount; root-owned writable sources get an idmapped mount
    uid_t host_uid;              // host uid the sandbox's root maps to (tier A) or runs as (tier B)
    gid_t host_gid;
    // limits (0 = unlimited / not set)
    long cpu_seconds;            // RLIMIT_CPU soft limit (hard = soft + 1)
    long memory_bytes;
    long fsize_bytes;
    long nofile;
    long nproc;
    long tmp_bytes;
    int stdin_fd, stdout_fd, stderr_fd; // -1 = inherit
    int status_fd;                      // write end of the status pipe
} nj_config;

/// Records the sandbox writes on the status pipe (fixed size, native endian).
typedef struct nj_status {
    int32_t kind;   // NJ_STATUS_*
    int32_t value;  // exit code, signal, errno
    int32_t step;   // NJ_STEP_* for setup failures
    int32_t pad;
} nj_status;

enum {
    NJ_STATUS_READY = 1,       // setup done, about to exec (value = module pid in its namespace)
    NJ_STATUS_EXITED = 2,      // value = exit code
    NJ_STATUS_SIGNALED = 3,    // value = signal
    NJ_STATUS_EXEC_FAILED = 4, // value = errno
    NJ_STATUS_SETUP_FAILED = 5 // value = errno, step = what
};

enum {
    NJ_STEP_SYNC = 1, NJ_STEP_MOUNT_PRIVATE, NJ_STEP_ROOT_TMPFS, NJ_STEP_BIND, NJ_STEP_PROC, NJ_STEP_DEV,
    NJ_STEP_TMP, NJ_STEP_WORKSPACE, NJ_STEP_PIVOT, NJ_STEP_LOOPBACK, NJ_STEP_BRIDGE, NJ_STEP_FORK,
    NJ_STEP_RLIMIT, NJ_STEP_CHDIR, NJ_STEP_CAPS, NJ_STEP_NNP, NJ_STEP_LANDLOCK, NJ_STEP_SECCOMP,
    NJ_STEP_SETUID, NJ_STEP_SIGNALS, NJ_STEP_GRANTS, NJ_STEP_DATA
};

/// Starts the sandbox. Returns the pid of its first process (the namespace init in tier A, the
/// command itself in tiers B and C), or -1 with *err set (to -errno when preparing the bind sources
/// of `premount` failed rather than the namespaces).
pid_t nj_spawn(const nj_config *cfg, int *err);

/// pidfd_open, for waiting with a timeout. -1 when unsupported.
int nj_pidfd_open(pid_t pid);

/// Kills every process running as `uid` (tier B cleanup): a helper child takes that uid and kill(-1).
int nj_kill_uid(uid_t uid);

/// pipe2(O_CLOEXEC) and accept4(SOCK_CLOEXEC), which Swift cannot see without _GNU_SOURCE.
int nj_pipe_cloexec(int fds[2]);
int nj_accept_cloexec(int fd);

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphans of our descendants become our children.
int nj_become_subreaper(void);

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (saving the old mask in `old`, a
/// sigset_t) and returns a signalfd for them, so the jailer can stop the sandbox and clean up.
int nj_termination_fd(void *old);
void nj_restore_signals(const void *old);
/// The signal number read from `fd`, or 0.
int nj_read_signal(int fd);

/// Human name of a setup step.
const char *nj_step_name(int step);

#ifdef __cplusplus
}
#endif
#endif
