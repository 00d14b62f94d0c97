// Private to CNexusJail: the pre-exec layers.
#ifndef NJ_FILTER_H
#define NJ_FILTER_H
#include "include/CNexusJail.h"
int nj_drop_capabilities(void);
int nj_apply_rlimits(const nj_config *cfg);
int nj_landlock_abi(void);
/// Builds the Landlock ruleset (opening every path while the caller still can reach it); -1 on error.
int nj_landlock_prepare(const nj_config *cfg, int abi, const char *const *ro, const char *const *rw,
                        const char *const *devw);
/// Restricts the caller with a prepared ruleset (after no_new_privs) and closes it.
int nj_landlock_enforce(int ruleset);
int nj_apply_seccomp(int deny_inet);
int nj_seccomp_available(void);
void nj_bridge_loop(int listen_fd, const char *unix_path, pid_t main_child, int sigfd, int *main_status);

// Shared inside the jail (jail.c, rootfs.c).
#define NJ_STATUS_FD 3
#define NJ_PATH 4096
#define NJ_MAX_GRANTS 64  /* the Swift side refuses more */
#define NJ_SLOT_WORKSPACE 0
#define NJ_SLOT_DATA 1
#define NJ_SLOT_GRANTS 2
#define NJ_SLOTS (NJ_SLOT_GRANTS + NJ_MAX_GRANTS)
/* premount.c: bind sources opened by the jailer and handed to the jail */
int nj_premount_send(const nj_config *cfg, pid_t child, int sock);
int nj_premount_receive(int sock);
int nj_premounted_fd(int slot);
int nj_attach_premounted(int fd, const char *dst);
/// O_PATH descriptor of `path` resolved without following any symlink (openat2), or -1.
int nj_open_nofollow(const char *path);
extern const char *const nj_etc_entries[];
void nj_put_status(int fd, int kind, int value, int step);
__attribute__((noreturn)) void nj_fail(int step);
int nj_write_file(const char *path, const char *data);
void nj_build_root(const nj_config *cfg);
void nj_loopback_up(void);
#endif
