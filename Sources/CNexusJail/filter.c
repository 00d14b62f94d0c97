// Layers applied to the jailed command just before exec: capabilities, Landlock, seccomp, rlimits.
// Runs in a forked child: no malloc, no stdio, only syscalls.
#define _GNU_SOURCE
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

int nj_drop_capabilities(void) {
    for (int c = 0; c <= 63; c++) {
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    // Root inside the namespace must not regain capabilities on exec.
    unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                         SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
#ifdef SECBIT_NO_CAP_AMBIENT_RAISE
    bits |= SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
#endif
    if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0 && errno != EPERM) return -1;
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) { data[i].effective = 0; data[i].permitted = 0; data[i].inheritable = 0; }
    if (syscall(SYS_capset, &hdr, data) != 0) return -1;
    return 0;
}

static int set_limit(int resource, long value) {
    if (value <= 0) return 0;
    struct rlimit rl = {(rlim_t)value, (rlim_t)value};
    return setrlimit(resource, &rl);
}

int nj_apply_rlimits(const nj_config *cfg) {
    struct rlimit zero = {0, 0};
    if (setrlimit(RLIMIT_CORE, &zero) != 0) return -1;
    if (cfg->cpu_seconds > 0) {
        struct rlimit rl = {(rlim_t)cfg->cpu_seconds, (rlim_t)cfg->cpu_seconds + 1};
        if (setrlimit(RLIMIT_CPU, &rl) != 0) return -1;
    }
    if (set_limit(RLIMIT_AS, cfg->memory_bytes) != 0) return -1;
    if (set_limit(RLIMIT_FSIZE, cfg->fsize_bytes) != 0) return -1;
    if (set_limit(RLIMIT_NOFILE, cfg->nofile) != 0) return -1;
    if (set_limit(RLIMIT_NPROC, cfg->nproc) != 0) return -1;
    return 0;
}

// ---- Landlock (own definitions: the system header predates network rules and scopes) ----

struct nj_ll_ruleset_attr { uint64_t fs; uint64_t net; uint64_t scoped; };
struct nj_ll_path_beneath { uint64_t allowed; int32_t parent_fd; } __attribute__((packed));
struct nj_ll_net_port { uint64_t allowed; uint64_t port; };

#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_TRUNCATE (1ULL << 14)
#define LL_FS_IOCTL_DEV (1ULL << 15)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)

int nj_landlock_abi(void) {
    long v = syscall(__NR_landlock_create_ruleset, NULL, 0, 1 /* LANDLOCK_CREATE_RULESET_VERSION */);
    return v < 0 ? 0 : (int)v;
}

static uint64_t fs_all(int abi) {
    uint64_t all = (1ULL << 13) - 1;  // ABI 1: execute .. make_sym
    if (abi >= 2) all |= 1ULL << 13;  // refer
    if (abi >= 3) all |= LL_FS_TRUNCATE;
    if (abi >= 5) all |= LL_FS_IOCTL_DEV;
    return all;
}

static int add_path(int ruleset, const char *path, uint64_t access, uint64_t handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -1;
    struct nj_ll_path_beneath rule = {access & handled, fd};
    // Files (not directories) accept only file rights.
    struct stat st;
    int isdir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    if (!isdir) rule.allowed &= (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV);
    long r = syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return r < 0 ? -1 : 0;
}

int nj_landlock_prepare(const nj_config *cfg, int abi, const char *const *ro, const char *const *rw,
                        const char *const *devw) {
    if (abi <= 0) return -1;
    struct nj_ll_ruleset_attr attr = {0, 0, 0};
    size_t size = 8;
    uint64_t handled = fs_all(abi);
    attr.fs = handled;
    if (abi >= 4) { attr.net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP; size = 16; }
    if (abi >= 6) { attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL; size = 24; }
    int rs = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
    if (rs < 0) return -1;
    uint64_t read = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
    for (const char *const *p = ro; p && *p; p++)
        if (add_path(rs, *p, read, handled) != 0) goto fail;
    for (const char *const *p = rw; p && *p; p++)
        if (add_path(rs, *p, handled, handled) != 0) goto fail;
    for (const char *const *p = devw; p && *p; p++)
        if (add_path(rs, *p, read | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV, handled) != 0) goto fail;
    if (abi >= 4 && cfg->proxy_socket && cfg->proxy_port > 0) {
        struct nj_ll_net_port np = {LL_NET_CONNECT_TCP, (uint64_t)cfg->proxy_port};
        if (syscall(__NR_landlock_add_rule, rs, LL_RULE_NET_PORT, &np, 0) < 0) goto fail;
    }
    return rs;
fail:;
    int saved = errno;
    close(rs);
    errno = saved;
    return -1;
}

int nj_landlock_enforce(int ruleset) {
    long r = syscall(__NR_landlock_restrict_self, ruleset, 0);
    int saved = errno;
    close(ruleset);
    errno = saved;
    return r < 0 ? -1 : 0;
}

// ---- seccomp ----

#if defined(__x86_64__)
#define NJ_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NJ_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "nexus sandbox: unsupported architecture"
#endif

#define NS_FLAGS 0x7E020080u /* CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME */

static const int denied_eperm[] = {
    __NR_ptrace, __NR_process_vm_readv, __NR_process_vm_writev, __NR_unshare, __NR_setns,
    __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register, __NR_listen,
    __NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot, __NR_swapon, __NR_swapoff, __NR_reboot,
    __NR_kexec_load, __NR_kexec_file_load, __NR_init_module, __NR_finit_module, __NR_delete_module,
    __NR_bpf, __NR_perf_event_open, __NR_userfaultfd, __NR_keyctl, __NR_add_key, __NR_request_key,
    __NR_open_by_handle_at, __NR_name_to_handle_at, __NR_sethostname, __NR_setdomainname, __NR_acct,
    __NR_quotactl, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick, __NR_move_mount, __NR_open_tree,
    __NR_mount_setattr, __NR_kcmp, __NR_syslog, __NR_settimeofday, __NR_clock_settime, __NR_adjtimex,
    __NR_clock_adjtime, __NR_pidfd_getfd, __NR_vhangup,
#if defined(__x86_64__)
    __NR_iopl, __NR_ioperm, __NR_uselib,
#endif
};

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP(code, k, jt, jf))
#define RET_ERRNO(e) STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define RET_ALLOW STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define LOAD_NR STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LOAD_ARG(n) STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[n]))

int nj_apply_seccomp(int deny_inet) {
    struct sock_filter f[192];
    int n = 0;
    f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, NJ_AUDIT_ARCH, 1, 0);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    f[n++] = LOAD_NR;
#if defined(__x86_64__)
    f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);  // x32 ABI
    f[n++] = RET_ERRNO(EPERM);
#endif
    for (size_t i = 0; i < sizeof(denied_eperm) / sizeof(denied_eperm[0]); i++) {
        f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)denied_eperm[i], 0, 1);
        f[n++] = RET_ERRNO(EPERM);
    }
    // clone3 hides its flags in memory: make libc fall back to clone.
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
    f[n++] = RET_ERRNO(ENOSYS);
    // clone with namespace flags.
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
    f[n++] = LOAD_ARG(0);
    f[n++] = JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
    f[n++] = RET_ERRNO(EPERM);
    f[n++] = RET_ALLOW;
    // socket: what the modes need and nothing else. AF_UNIX; AF_INET/AF_INET6 only as TCP streams
    // (protocol 0 or IPPROTO_TCP: never SCTP or MPTCP, which Landlock's TCP rules do not cover) and
    // UDP datagrams (protocol 0 or IPPROTO_UDP: never ICMP or UDP-Lite); never raw, packet or netlink.
    // deny_inet 1 (no proxy: exec mode): no IP sockets at all.
    // deny_inet 2 (the proxy without a network namespace: degraded B/C): TCP streams only, no datagrams.
    uint32_t inet = deny_inet == 1 ? 0xfffffff0u : AF_INET, inet6 = deny_inet == 1 ? 0xfffffff1u : AF_INET6;
    uint32_t dgram = deny_inet == 2 ? 0xfffffff2u : SOCK_DGRAM;
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 19);
    f[n++] = LOAD_ARG(0);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 16, 0);                  // -> allow
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, inet, 2, 0);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, inet6, 1, 0);
    f[n++] = RET_ERRNO(EAFNOSUPPORT);
    f[n++] = LOAD_ARG(1);
    f[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, 0xf);                              // without NONBLOCK/CLOEXEC
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 2, 0);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, dgram, 5, 0);
    f[n++] = RET_ERRNO(ESOCKTNOSUPPORT);
    f[n++] = LOAD_ARG(2);                                                       // stream: TCP only
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 0);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 5, 0);
    f[n++] = RET_ERRNO(EPROTONOSUPPORT);
    f[n++] = LOAD_ARG(2);                                                       // datagram: UDP only
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 1, 0);
    f[n++] = RET_ERRNO(EPROTONOSUPPORT);
    f[n++] = RET_ALLOW;
    // ioctl: no injecting input into a terminal.
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 4);
    f[n++] = LOAD_ARG(1);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x5412 /* TIOCSTI */, 1, 0);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x541C /* TIOCLINUX */, 0, 1);
    f[n++] = RET_ERRNO(EPERM);
    f[n++] = RET_ALLOW;
    struct sock_fprog prog = {(unsigned short)n, f};
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

int nj_seccomp_available(void) {
    int r = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
    return r >= 0 ? 1 : 0;
}
