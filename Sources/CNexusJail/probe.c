// What isolation this machine offers, found by trying each layer in a throwaway child.
#define _GNU_SOURCE
#include "filter.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void nj_probe_layers(nj_probe_report *out) {
    out->user_namespaces = 0;
    out->userns_error = 0;
    out->landlock_abi = nj_landlock_abi();
    out->seccomp = nj_seccomp_available();
    out->is_root = geteuid() == 0;
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    out->cap_setuid = syscall(SYS_capget, &hdr, data) == 0 && (data[0].effective & (1u << CAP_SETUID)) != 0;
    out->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0;
}

void nj_probe(nj_probe_report *out) {
    nj_probe_layers(out);
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
    pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) _exit(0);
    if (pid > 0) {
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        out->user_namespaces = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    } else {
        out->userns_error = errno;
    }
}

int nj_probe_net_namespace(void) {
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) _exit(0);
    if (pid < 0) return 0;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}
