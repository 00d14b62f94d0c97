# hostile: plain HTTP to an allowed target with a Host header naming another host (virtual-host hop)
# modes: validate integration
# flags: --allow-host 127.0.0.1:{port}
# expect: blocked
import os
from _common import escaped, contained, proxy_exchange
port = int(os.environ["HOSTILE_PORT"])
for host in [b"evil.example", b"127.0.0.1", b"127.0.0.1:%d\r\nHost: evil.example" % port]:
    answer = proxy_exchange(b"GET http://127.0.0.1:%d/index.txt HTTP/1.1\r\nHost: %s\r\n\r\n" % (port, host))
    if b"hostile-ok" in answer or answer.startswith(b"HTTP/1.0 200"):
        escaped("forwarded with Host: %r" % host)
    if not answer.startswith(b"HTTP/1.1 400"):
        escaped("unexpected answer %r" % answer[:120])
contained("Host headers that differ from the target are refused")
