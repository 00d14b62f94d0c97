# hostile: allowed wildcard names that resolve to private/loopback addresses dressed as IPv6 (mapped, compatible, NAT64, 6to4, Teredo)
# modes: validate integration
# flags: --allow-host *.example.com --resolve a.example.com=::ffff:10.0.0.1 --resolve b.example.com=::127.0.0.1 --resolve c.example.com=64:ff9b::127.0.0.1 --resolve d.example.com=2002:7f00:1::1 --resolve e.example.com=2001:0:4136:e378:8000:63bf:80ff:fffe --resolve f.example.com=fec0::1 --resolve g.example.com=100.64.0.1 --resolve h.example.com=198.18.0.1
# expect: blocked
from _common import escaped, contained, proxy_exchange
for name in "abcdefgh":
    answer = proxy_exchange(b"CONNECT %s.example.com:443 HTTP/1.1\r\n\r\n" % name.encode(), timeout=3)
    if not answer.startswith(b"HTTP/1.1 403"):
        escaped("%s.example.com was not refused by address: %r" % (name, answer[:160]))
contained("every special-purpose address refused")
