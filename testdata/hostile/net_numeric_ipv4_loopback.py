# hostile: numeric IPv4 forms of loopback (2130706433, 0x7f.1, 127.1, 0177.0.0.1) that getaddrinfo reads as 127.0.0.1
# modes: validate integration
# flags: --allow-host 127.0.0.1:{port} --allow-host *.example.com:{port}
# expect: blocked
import os
from _common import escaped, contained, proxy_exchange
port = int(os.environ["HOSTILE_PORT"])
for form in [b"2130706433", b"0x7f.1", b"127.1", b"0177.0.0.1", b"0x7f000001", b"127.0.0.1\x00.example.com"]:
    for req in [b"CONNECT %s:%d HTTP/1.1\r\n\r\n" % (form, port + 1),
                b"GET http://%s:%d/index.txt HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (form, port + 1, form, port + 1)]:
        answer = proxy_exchange(req, timeout=3)
        if answer.startswith(b"HTTP/1.1 200") or answer.startswith(b"HTTP/1.1 502"):
            escaped("the proxy tried to reach loopback port %d through %r" % (port + 1, form))
        if not answer.startswith(b"HTTP/1.1 400"):
            escaped("%r not refused as an invalid host: %r" % (form, answer[:160]))
contained("numeric IPv4 forms refused as hosts")
