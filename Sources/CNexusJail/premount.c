// Bind sources prepared by the jailer (tier A, as root): the parent opens each caller-given source
// (workspace, /data, path grants) as a detached mount with open_tree and hands the descriptors to the
// jail over its sync socket. The sandbox's root is an unprivileged host uid, so it could not reach a
// source under a 0700 directory itself; and a root-owned writable source gets an idmapped mount (its
// root-owned files appear as the sandbox's own), while --ro-path trees stay plain: a root-only file
// there remains unreadable inside.
#define _GNU_SOURCE
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/openat2.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif

/// Child side: the detached mount for each slot, or -1 (bind by path instead).
static int premounted[NJ_SLOTS];
static int premounted_ready;

/// The source path of a slot and whether it is writable; NULL past the last one.
static const char *slot_source(const nj_config *cfg, int slot, int *writable, int *grant) {
    *grant = 0;
    if (slot == NJ_SLOT_WORKSPACE) { *writable = cfg->workspace_writable; return cfg->workspace; }
    if (slot == NJ_SLOT_DATA) { *writable = 1; return cfg->data_dir; }
    int i = slot - NJ_SLOT_GRANTS;
    if (!cfg->grants || i >= NJ_MAX_GRANTS) return NULL;
    for (int k = 0; k <= i; k++) if (!cfg->grants[k]) return NULL;
    *grant = 1;
    *writable = cfg->grant_writable ? cfg->grant_writable[i] : 0;
    return cfg->grants[i];
}

int nj_open_nofollow(const char *path) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
}

/// `src` as a detached mount: opened without following any symlink on the way (the jailer checked
/// the path, but a component swapped for a symlink since must not redirect the mount).
static int detach(const char *src, int writable, int userns_fd) {
    int recursive = userns_fd < 0 ? AT_RECURSIVE : 0;
    int pfd = nj_open_nofollow(src);
    if (pfd < 0) return -1;
    int fd = (int)syscall(
        SYS_open_tree, pfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | recursive);
    int saved = errno;
    close(pfd);
    errno = saved;
    if (fd < 0) return -1;
    struct mount_attr a;
    memset(&a, 0, sizeof a);
    a.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (writable ? 0 : MOUNT_ATTR_RDONLY);
    if (userns_fd >= 0) { a.attr_set |= MOUNT_ATTR_IDMAP; a.userns_fd = (uint64_t)userns_fd; }
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | recursive, &a, sizeof a) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int nj_premount_send(const nj_config *cfg, pid_t child, int sock) {
    int slots[NJ_SLOTS], fds[NJ_SLOTS], n = 0, userns = -1, rc = -1;
    if (cfg->premount) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
        userns = open(path, O_RDONLY | O_CLOEXEC);
        if (userns < 0) return -1;
        for (int slot = 0; slot < NJ_SLOTS; slot++) {
            int writable, grant;
            const char *src = slot_source(cfg, slot, &writable, &grant);
            if (!src) { if (slot >= NJ_SLOT_GRANTS) break; continue; }
            struct stat st;
            if (lstat(src, &st) != 0) goto out;
            // Root-owned sources the sandbox must own (workspace, /data, write grants) are idmapped;
            // read-only grants never are.
            int idmap = st.st_uid == 0 && cfg->host_uid != 0 && (!grant || writable);
            int fd = detach(src, writable, idmap ? userns : -1);
            // A filesystem without idmapped mounts (NFS, FUSE): a plain mount, which only narrows what
            // the sandbox's uid may do there (root-owned files stay the host's).
            if (fd < 0 && idmap && (errno == EINVAL || errno == EOPNOTSUPP)) fd = detach(src, writable, -1);
            if (fd < 0) goto out;
            slots[n] = slot;
            fds[n++] = fd;
        }
    }
    char cbuf[CMSG_SPACE(sizeof(int) * NJ_SLOTS)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec io = {slots, sizeof(int) * (size_t)n};
    int none = -1;
    if (n == 0) { io.iov_base = &none; io.iov_len = sizeof none; }
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    if (n > 0) {
        m.msg_control = cbuf;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        h->cmsg_level = SOL_SOCKET;
        h->cmsg_type = SCM_RIGHTS;
        h->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
        memcpy(CMSG_DATA(h), fds, sizeof(int) * (size_t)n);
    }
    ssize_t w;
    do { w = sendmsg(sock, &m, MSG_NOSIGNAL); } while (w < 0 && errno == EINTR);
    rc = w == (ssize_t)io.iov_len ? 0 : -1;
out:;
    int saved = errno;
    for (int i = 0; i < n; i++) close(fds[i]);
    if (userns >= 0) close(userns);
    errno = saved;
    return rc;
}

int nj_premount_receive(int sock) {
    int slots[NJ_SLOTS], fds[NJ_SLOTS];
    char cbuf[CMSG_SPACE(sizeof(int) * NJ_SLOTS)];
    struct iovec io = {slots, sizeof slots};
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &io;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    ssize_t r;
    do { r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC); } while (r < 0 && errno == EINTR);
    if (r <= 0) { if (r == 0) errno = EPIPE; return -1; }
    for (int i = 0; i < NJ_SLOTS; i++) premounted[i] = -1;
    premounted_ready = 1;
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    if (!h || h->cmsg_type != SCM_RIGHTS) return 0;
    int n = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    if (n * (int)sizeof(int) != (int)r || n > NJ_SLOTS) { errno = EPROTO; return -1; }
    memcpy(fds, CMSG_DATA(h), sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) {
        if (slots[i] < 0 || slots[i] >= NJ_SLOTS) { errno = EPROTO; return -1; }
        premounted[slots[i]] = fds[i];
    }
    return 0;
}

int nj_premounted_fd(int slot) {
    return premounted_ready && slot >= 0 && slot < NJ_SLOTS ? premounted[slot] : -1;
}

int nj_attach_premounted(int fd, const char *dst) {
    if (syscall(SYS_move_mount, fd, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) != 0) return -1;
    close(fd);
    return 0;
}
