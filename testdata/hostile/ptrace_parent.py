# hostile: ptrace-attaches to its parent and reads its memory with process_vm_readv
# modes: exec validate integration
# expect: contained
import ctypes, os
from _common import escaped, contained
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH = 16
for pid in {os.getppid(), 1}:
    if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
        escaped("ptrace attached to %d" % pid)
buf = ctypes.create_string_buffer(16)
class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
local = iovec(ctypes.cast(buf, ctypes.c_void_p), 16)
remote = iovec(0x400000, 16)
if libc.process_vm_readv(os.getppid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0:
    escaped("process_vm_readv read the parent")
try:
    open("/proc/%d/mem" % os.getppid(), "rb").read(1)
    escaped("read parent's /proc/pid/mem")
except OSError:
    pass
contained("no ptrace")
