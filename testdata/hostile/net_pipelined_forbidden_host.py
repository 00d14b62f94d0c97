# hostile: an allowed request with a second, forbidden one pipelined behind it on the same connection
# modes: validate integration
# flags: --allow-host 127.0.0.1:{port}
# expect: blocked
import os
from _common import escaped, contained, proxy_exchange
port = int(os.environ["HOSTILE_PORT"])
first = b"GET http://127.0.0.1:%d/index.txt HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (port, port)
second = b"GET http://evil.example/steal HTTP/1.1\r\nHost: evil.example\r\n\r\n"
answer = proxy_exchange(first + second)
if b"hostile-ok" not in answer:
    escaped("the allowed first request failed: %r" % answer[:160])
if b"HTTP/1.1 403" in answer and b"evil.example" in answer:
    contained("the pipelined request was checked and refused")
escaped("the pipelined second request was never checked (sent upstream unseen)")
