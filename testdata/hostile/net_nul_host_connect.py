# hostile: CONNECT to 127.0.0.1<NUL>.example.com, which matches *.example.com while the resolver reads 127.0.0.1
# modes: validate integration
# flags: --allow-host *.example.com:{port} --allow-host 127.0.0.1:{port}
# expect: blocked
import os
from _common import escaped, contained, proxy_exchange
port = int(os.environ["HOSTILE_PORT"])
answer = proxy_exchange(b"CONNECT 127.0.0.1\x00.example.com:%d HTTP/1.1\r\n\r\n" % port, timeout=3)
if answer.startswith(b"HTTP/1.1 200"):
    escaped("a NUL host was tunnelled to the address before the NUL")
if answer.startswith(b"HTTP/1.1 400") and b"control character" in answer:
    contained("NUL host refused as invalid")
escaped("unexpected answer %r" % answer[:120])
