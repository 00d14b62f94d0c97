# hostile: opens raw and ICMP sockets (ping)
# modes: exec validate integration
# expect: contained
import socket
from _common import escaped, contained
for fam, typ, proto in [(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP),
                        (socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP),
                        (socket.AF_PACKET, socket.SOCK_RAW, 0x0300)]:
    try:
        s = socket.socket(fam, typ, proto)
        s.settimeout(1)
        s.sendto(b"\x08\x00\xf7\xff\x00\x00\x00\x00", ("1.1.1.1", 0))
        s.recv(64)
        escaped("ICMP/raw answer")
    except OSError:
        pass
contained("no raw sockets")
