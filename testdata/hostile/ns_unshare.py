# hostile: creates new namespaces (unshare, setns) to rebuild privileges
# modes: exec validate integration
# expect: contained
import ctypes, os
from _common import escaped, contained
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET = 0x10000000, 0x20000, 0x40000000
for flags in [CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNS]:
    if libc.unshare(flags) == 0:
        escaped("unshare(%#x) worked" % flags)
fd = os.open("/proc/1/ns/net", os.O_RDONLY) if os.path.exists("/proc/1/ns/net") else -1
if fd >= 0 and libc.setns(fd, 0) == 0:
    escaped("setns worked")
contained("no new namespaces")
