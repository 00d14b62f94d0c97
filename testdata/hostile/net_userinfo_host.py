# hostile: userinfo@ in a proxy target, where the proxy and a client may disagree on which part is the host
# modes: validate integration
# flags: --allow-host 127.0.0.1:{port} --allow-host *.example.com:{port}
# expect: blocked
import os
from _common import escaped, contained, proxy_exchange
port = int(os.environ["HOSTILE_PORT"])
for req in [b"GET http://evil.example@127.0.0.1:%d/index.txt HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (port, port),
            b"CONNECT evil.example@127.0.0.1:%d HTTP/1.1\r\n\r\n" % port,
            b"CONNECT 127.0.0.1@a.example.com:%d HTTP/1.1\r\n\r\n" % port]:
    answer = proxy_exchange(req, timeout=3)
    if answer.startswith(b"HTTP/1.1 200") or b"hostile-ok" in answer:
        escaped("userinfo target accepted: %r" % req[:60])
    if not (answer.startswith(b"HTTP/1.1 400") and b"userinfo@" in answer):
        escaped("userinfo target not refused as invalid: %r" % answer[:160])
contained("userinfo@ targets refused")
