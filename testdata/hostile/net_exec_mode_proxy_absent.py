# hostile: in exec mode, tries the proxy port and a unix socket path anyway
# modes: exec
# expect: contained
import socket, os
from _common import escaped, contained
for port in (3128, 80, 8080):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1)
        escaped("connected to 127.0.0.1:%d in exec mode" % port)
    except OSError:
        pass
if os.path.exists("/run/nexus-proxy.sock"):
    escaped("proxy socket present in exec mode")
contained("no network at all in exec mode")
