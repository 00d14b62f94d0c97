# hostile: creates sockets no mode needs (SCTP, MPTCP, raw, packet, ICMP, UDP-Lite, netlink) to sidestep the TCP-only rules
# modes: exec validate integration
# expect: contained
import socket
from _common import escaped, contained
attempts = [
    ("sctp", socket.AF_INET, socket.SOCK_STREAM, 132),
    ("sctp-seqpacket", socket.AF_INET, socket.SOCK_SEQPACKET, 132),
    ("sctp6", socket.AF_INET6, socket.SOCK_STREAM, 132),
    ("mptcp", socket.AF_INET, socket.SOCK_STREAM, 262),
    ("mptcp6", socket.AF_INET6, socket.SOCK_STREAM, 262),
    ("raw", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP),
    ("raw6", socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_UDP),
    ("icmp", socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP),
    ("udplite", socket.AF_INET, socket.SOCK_DGRAM, 136),
    ("packet", 17, socket.SOCK_RAW, 0x0300),
    ("netlink", 16, socket.SOCK_RAW, 0),
    ("inet-seqpacket", socket.AF_INET, socket.SOCK_SEQPACKET, 0),
]
made = []
for name, fam, typ, proto in attempts:
    try:
        socket.socket(fam, typ, proto).close()
        made.append(name)
    except OSError:
        pass
if made:
    escaped("created sockets: " + ", ".join(made))
contained("only TCP, UDP and unix sockets can be created")
