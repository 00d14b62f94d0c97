# hostile: opens TCP connections directly, ignoring the proxy (public address and the host's loopback server)
# modes: exec validate integration
# expect: contained
import os, socket
from _common import escaped, contained
port = int(os.environ.get("HOSTILE_PORT", "8765"))
for addr in [("1.1.1.1", 80), ("127.0.0.1", port), ("10.0.0.1", 80)]:
    try:
        s = socket.socket()  # refused outright in exec mode: contained too
    except OSError:
        continue
    s.settimeout(2)
    try:
        s.connect(addr)
        s.sendall(b"GET /index.txt HTTP/1.0\r\n\r\n")
        if b"hostile-ok" in s.recv(4096):
            escaped("reached %s:%d directly" % addr)
    except OSError:
        pass
    finally:
        s.close()
contained("no direct TCP connection")
