# hostile: sends UDP (a DNS query) and resolves a name itself
# modes: exec validate integration
# expect: contained
import socket
from _common import escaped, contained
query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01"
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # refused outright in exec mode: contained too
    s.settimeout(1)
    s.sendto(query, ("8.8.8.8", 53))
    s.recvfrom(512)
    escaped("DNS answer over UDP")
except OSError:
    pass
try:
    socket.getaddrinfo("example.com", 80)
    escaped("resolved a name inside the sandbox")
except OSError:
    pass
contained("no UDP or DNS")
