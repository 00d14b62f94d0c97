# hostile: clone3 and clone with namespace flags
# modes: exec validate integration
# expect: contained
import ctypes, os, struct
from _common import escaped, contained
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
SYS_clone3, SYS_clone = 435, 56
CLONE_NEWUSER, CLONE_NEWPID = 0x10000000, 0x20000000
args = ctypes.create_string_buffer(struct.pack("QQQQQQQQ", CLONE_NEWUSER | CLONE_NEWPID, 0, 0, 0, 17, 0, 0, 0), 64)
r = libc.syscall(SYS_clone3, args, ctypes.c_size_t(64))
if r == 0:
    os._exit(0)
if r > 0:
    escaped("clone3 with namespace flags made pid %d" % r)
if ctypes.get_errno() != 38:
    escaped("clone3 errno %d, expected ENOSYS" % ctypes.get_errno())
r = libc.syscall(SYS_clone, ctypes.c_ulong(CLONE_NEWUSER | 17), None, None, None, None)
if r == 0:
    os._exit(0)
if r > 0:
    escaped("clone with CLONE_NEWUSER made pid %d" % r)
contained("clone3 -> ENOSYS, namespace clone refused")
