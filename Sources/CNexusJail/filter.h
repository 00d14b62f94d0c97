// Private to CNexusJail: the pre-exec layers.
#ifndef NJ_FILTER_H
#define NJ_FILTER_H
#include "include/CNexusJail.h"
int nj_drop_capabilities(void);
int nj_apply_rlimits(const nj_config *cfg);
int nj_landlock_abi(void);
int nj_apply_landlock(const nj_config *cfg, int abi, const char *const *ro, const char *const *rw,
                      const char *const *devw);
int nj_apply_seccomp(int deny_inet);
int nj_seccomp_available(void);
void nj_bridge_loop(int listen_fd, const char *unix_path, pid_t main_child, int sigfd, int *main_status);
#endif
