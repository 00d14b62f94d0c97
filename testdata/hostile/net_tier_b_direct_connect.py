# hostile: tier B (no namespaces): connects straight to a TCP service on the host's loopback, bypassing the proxy, over TCP, MPTCP and SCTP
# modes: validate integration
# tier: B
# needs: root
# expect: contained
import os, socket
from _common import escaped, contained
port = int(os.environ.get("HOSTILE_PORT", "8765"))
proxy_port = int(os.environ.get("HTTP_PROXY", "http://127.0.0.1:3128").rsplit(":", 1)[1])
attempts = [("tcp", socket.SOCK_STREAM, 0), ("mptcp", socket.SOCK_STREAM, 262), ("sctp", socket.SOCK_STREAM, 132),
            ("sctp-seqpacket", socket.SOCK_SEQPACKET, 132)]
for name, typ, proto in attempts:
    # The runner's HTTP server, and the proxy's own port on another loopback address.
    for addr in [("127.0.0.1", port), ("127.0.0.2", port), ("127.0.0.2", proxy_port)]:
        try:
            s = socket.socket(socket.AF_INET, typ, proto)
        except OSError:
            continue
        s.settimeout(2)
        try:
            s.connect(addr)
            s.sendall(b"GET /index.txt HTTP/1.0\r\n\r\n")
            if b"hostile-ok" in s.recv(4096):
                escaped("reached %s:%d directly over %s" % (addr[0], addr[1], name))
        except OSError:
            pass
        finally:
            s.close()
contained("no direct connection to the host's loopback")
