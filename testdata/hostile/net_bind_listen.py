# hostile: binds and listens on a port (a backdoor server)
# modes: exec validate integration
# expect: contained
import socket
from _common import escaped, contained
for fam, addr in [(socket.AF_INET, ("0.0.0.0", 4444)), (socket.AF_INET, ("127.0.0.1", 0)), (socket.AF_UNIX, "/tmp/s.sock")]:
    try:
        s = socket.socket(fam, socket.SOCK_STREAM)  # refused outright in exec mode: contained too
        s.bind(addr)
        s.listen(1)
        escaped("listening on %r" % (addr,))
    except OSError:
        pass
contained("no listening socket")
