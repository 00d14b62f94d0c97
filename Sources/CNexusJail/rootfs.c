// The sandbox's root filesystem, built from scratch inside the new mount namespace: system
// directories and a few /etc files read-only, fresh /proc (host knobs masked), a minimal /dev,
// private /tmp, the workspace, the proxy socket; then pivot_root. Runs between fork and exec.
#define _GNU_SOURCE
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

static void join(char *out, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 1 >= NJ_PATH) { out[0] = 0; return; }
    memcpy(out, a, la);
    memcpy(out + la, b, lb + 1);
}

int nj_write_file(const char *path, const char *data) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, data, strlen(data));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(data) ? 0 : -1;
}

static int mkdir_p(const char *path, mode_t mode) {
    char buf[NJ_PATH];
    size_t len = strlen(path);
    if (len >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, mode) != 0 && errno != EEXIST) return -1;
            buf[i] = c;
        }
    }
    return 0;
}

static unsigned long statvfs_flags(const char *path) {
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(path, &sv) != 0) return 0;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    return f;
}

/// Creates `dst` as a directory or an empty file, the mount point for a source of that type.
static int make_target(const char *dst, int isdir) {
    if (isdir) return mkdir_p(dst, 0755);
    char parent[NJ_PATH];
    size_t len = strlen(dst);
    if (len >= sizeof parent) { errno = ENAMETOOLONG; return -1; }
    memcpy(parent, dst, len + 1);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) { *slash = 0; if (mkdir_p(parent, 0755) != 0) return -1; }
    int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/// Binds host `src` at `dst` (created to match), read-only unless `writable`; nosuid and nodev always.
static int bind_path(const char *src, const char *dst, int writable) {
    struct stat st;
    if (stat(src, &st) != 0) return errno == ENOENT ? 0 : -1;
    if (make_target(dst, S_ISDIR(st.st_mode)) != 0) return -1;
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) != 0) return -1;
    unsigned long flags = statvfs_flags(dst) | MS_NOSUID | MS_NODEV;
    if (!writable) flags |= MS_RDONLY;
    return mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
}

/// A caller-given source (workspace, /data, a grant): the jailer's detached mount when it prepared
/// one (premount.c, already read-only or idmapped as needed), else a bind by path.
static int bind_source(int slot, const char *src, const char *dst, int writable) {
    int fd = nj_premounted_fd(slot);
    if (fd < 0) {
        // Bind exactly what was checked: the source opened without following symlinks, mounted
        // through its /proc/self/fd link (the host's /proc is still mounted here).
        int pfd = nj_open_nofollow(src);
        if (pfd < 0) return -1;
        char via[64];
        snprintf(via, sizeof via, "/proc/self/fd/%d", pfd);
        int r = bind_path(via, dst, writable);
        int saved = errno;
        close(pfd);
        errno = saved;
        return r;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || make_target(dst, S_ISDIR(st.st_mode)) != 0) return -1;
    return nj_attach_premounted(fd, dst);
}

/// Copies a host symlink (merged /usr: /bin -> usr/bin) or binds the directory it is.
static int mirror(const char *root, const char *path) {
    char dst[NJ_PATH], target[NJ_PATH];
    join(dst, root, path);
    struct stat st;
    if (lstat(path, &st) != 0) return 0;
    if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0) return -1;
        target[n] = 0;
        return symlink(target, dst) == 0 || errno == EEXIST ? 0 : -1;
    }
    return bind_path(path, dst, 0);
}

static const char *const system_dirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", NULL};
const char *const nj_etc_entries[] = {
    "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/nsswitch.conf", "/etc/ld.so.cache", "/etc/ld.so.conf",
    "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates", "/etc/localtime", "/etc/alternatives",
    "/etc/mime.types", "/etc/protocols", "/etc/services", "/etc/host.conf", "/etc/gai.conf", "/etc/python3",
    "/etc/python3.11", "/etc/os-release", "/etc/debian_version", NULL};
static const char *const dev_nodes[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", NULL};
static const char *const proc_masks[] = {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", NULL};

void nj_build_root(const nj_config *cfg) {
    const char *root = cfg->newroot;
    char p[NJ_PATH], q[NJ_PATH], opts[64];
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) nj_fail(NJ_STEP_MOUNT_PRIVATE);
    if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") != 0) nj_fail(NJ_STEP_ROOT_TMPFS);
    for (const char *const *d = system_dirs; *d; d++)
        if (mirror(root, *d) != 0) nj_fail(NJ_STEP_BIND);
    join(p, root, "/etc");
    if (mkdir(p, 0755) != 0) nj_fail(NJ_STEP_BIND);
    for (const char *const *e = nj_etc_entries; *e; e++) {
        struct stat st;
        if (lstat(*e, &st) != 0) continue;
        join(p, root, *e);
        if (S_ISLNK(st.st_mode)) {
            ssize_t n = readlink(*e, q, sizeof q - 1);
            if (n < 0) continue;
            q[n] = 0;
            if (symlink(q, p) != 0) nj_fail(NJ_STEP_BIND);
        } else if (bind_path(*e, p, 0) != 0) nj_fail(NJ_STEP_BIND);
    }
    // /proc for the new pid namespace, with the host-wide knobs read-only.
    join(p, root, "/proc");
    if (mkdir(p, 0555) != 0 || mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        nj_fail(NJ_STEP_PROC);
    for (const char *const *m = proc_masks; *m; m++) {
        join(p, root, *m);
        struct stat st;
        if (stat(p, &st) != 0) continue;
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) != 0) nj_fail(NJ_STEP_PROC);
        if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
            nj_fail(NJ_STEP_PROC);
    }
    // /dev: a few harmless nodes.
    join(p, root, "/dev");
    if (mkdir(p, 0755) != 0 || mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") != 0)
        nj_fail(NJ_STEP_DEV);
    for (const char *const *d = dev_nodes; *d; d++) {
        join(p, root, *d);
        int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) nj_fail(NJ_STEP_DEV);
        close(fd);
        if (mount(*d, p, NULL, MS_BIND, NULL) != 0) nj_fail(NJ_STEP_DEV);
    }
    join(p, root, "/dev/fd"); if (symlink("/proc/self/fd", p) != 0) nj_fail(NJ_STEP_DEV);
    join(p, root, "/dev/stdin"); if (symlink("/proc/self/fd/0", p) != 0) nj_fail(NJ_STEP_DEV);
    join(p, root, "/dev/stdout"); if (symlink("/proc/self/fd/1", p) != 0) nj_fail(NJ_STEP_DEV);
    join(p, root, "/dev/stderr"); if (symlink("/proc/self/fd/2", p) != 0) nj_fail(NJ_STEP_DEV);
    long tmp = cfg->tmp_bytes > 0 ? cfg->tmp_bytes : 64L << 20;
    snprintf(opts, sizeof opts, "mode=1777,size=%ld", tmp);
    join(p, root, "/dev/shm");
    if (mkdir(p, 01777) != 0 || mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0) nj_fail(NJ_STEP_DEV);
    join(p, root, "/tmp");
    if (mkdir(p, 01777) != 0 || mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0) nj_fail(NJ_STEP_TMP);
    // Path grants go in after the private /tmp, so one that lives under the host's /tmp (a checkout or
    // venv there) is bound on top of the private tmpfs rather than hidden by it; parents come first.
    for (int i = 0; cfg->grants && cfg->grants[i] && i < NJ_MAX_GRANTS; i++) {
        join(p, root, cfg->grants[i]);
        if (bind_source(NJ_SLOT_GRANTS + i, cfg->grants[i], p, cfg->grant_writable ? cfg->grant_writable[i] : 0) != 0)
            nj_fail(NJ_STEP_GRANTS);
    }
    join(p, root, "/workspace");
    if (mkdir(p, 0755) != 0) nj_fail(NJ_STEP_WORKSPACE);
    if (cfg->workspace && bind_source(NJ_SLOT_WORKSPACE, cfg->workspace, p, cfg->workspace_writable) != 0)
        nj_fail(NJ_STEP_WORKSPACE);
    if (cfg->data_dir) {
        join(p, root, "/data");
        if (mkdir(p, 0755) != 0 || bind_source(NJ_SLOT_DATA, cfg->data_dir, p, 1) != 0) nj_fail(NJ_STEP_DATA);
    }
    join(p, root, "/run");
    if (mkdir(p, 0755) != 0) nj_fail(NJ_STEP_BRIDGE);
    if (cfg->proxy_socket) {
        join(p, root, "/run/nexus-proxy.sock");
        int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) nj_fail(NJ_STEP_BRIDGE);
        close(fd);
        if (mount(cfg->proxy_socket, p, NULL, MS_BIND, NULL) != 0) nj_fail(NJ_STEP_BRIDGE);
    }
    if (chdir(root) != 0 || syscall(SYS_pivot_root, ".", ".") != 0) nj_fail(NJ_STEP_PIVOT);
    if (umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) nj_fail(NJ_STEP_PIVOT);
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
        nj_fail(NJ_STEP_PIVOT);
}

void nj_loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) nj_fail(NJ_STEP_LOOPBACK);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) nj_fail(NJ_STEP_LOOPBACK);
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) nj_fail(NJ_STEP_LOOPBACK);
    close(s);
}

