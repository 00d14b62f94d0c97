// CNexusPOSIX: the few process calls NexusPOSIX cannot make from Swift: what must run between fork and
// exec (the Swift runtime is not safe in a forked child of a multithreaded process), and prctl, whose
// variadic signature Swift cannot import. Owned by NexusPOSIX only.
#ifndef CNEXUSPOSIX_H
#define CNEXUSPOSIX_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Starts `path` (argv, envp) as a child tethered to this process: it gets SIGKILL when this process
/// ends however it ends (PR_SET_PDEATHSIG), and exits at once, before running anything, if this process
/// is already gone when the signal is armed (getppid() then names another process). fd_in/out/err (-1:
/// inherited) become 0/1/2; `cwd` (NULL: unchanged) is entered; `new_group` makes it a process group
/// leader; `reset_signals` gives SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGCHLD their default
/// action. The signal mask is emptied. Returns the pid, or -1 with errno (an exec failure included).
///
/// The parent-death signal follows the *thread* that forks: call this from a thread that lives as long
/// as the process (NexusPOSIX's spawner thread), never from a pool thread that may exit when idle.
pid_t nx_spawn_tethered(const char *path, char *const argv[], char *const envp[], int fd_in, int fd_out,
                        int fd_err, const char *cwd, int new_group, int reset_signals);

/// The parent-death signal armed in this process (prctl PR_GET_PDEATHSIG), 0 when none, -1 on error.
int nx_parent_death_signal(void);

#ifdef __cplusplus
}
#endif

#endif
