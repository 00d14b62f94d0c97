# hostile: an HTTPS-style CONNECT tunnel to a host that is not allowed
# modes: validate integration
# expect: blocked
import socket
from _common import escaped, contained
s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
s.sendall(b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n")
head = s.recv(4096)
if head.startswith(b"HTTP/1.1 403"):
    contained("CONNECT refused")
escaped("CONNECT answered %r" % head[:40])
