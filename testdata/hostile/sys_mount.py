# hostile: mounts filesystems and remounts the root read-write
# modes: exec validate integration
# expect: contained
import ctypes
from _common import escaped, contained
libc = ctypes.CDLL(None, use_errno=True)
MS_REMOUNT, MS_BIND = 32, 4096
if libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None) == 0:
    escaped("mounted tmpfs")
if libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND, None) == 0:
    escaped("remounted / read-write")
if libc.mount(None, b"/usr", None, MS_REMOUNT | MS_BIND, None) == 0:
    escaped("remounted /usr read-write")
if libc.chroot(b"/tmp") == 0:
    escaped("chroot worked")
contained("no mounts")
