# hostile: a %00 host under an allowed wildcard, which must be refused as invalid before any DNS lookup
# modes: validate integration
# flags: --allow-host *.example.com
# expect: blocked
from _common import escaped, contained, proxy_exchange
for target in [b"CONNECT 8.8.8.8%00.example.com:443 HTTP/1.1\r\n\r\n",
               b"GET http://8.8.8.8%00.example.com/ HTTP/1.1\r\nHost: 8.8.8.8%00.example.com\r\n\r\n"]:
    answer = proxy_exchange(target)
    if answer.startswith(b"HTTP/1.1 200"):
        escaped("a %00 host was forwarded")
    if not (answer.startswith(b"HTTP/1.1 400") and b"contains %" in answer):
        escaped("the proxy did not refuse %%00 as an invalid host (it looked it up?): %r" % answer[:160])
contained("%00 hosts refused before any lookup")
