# hostile: an allowlisted name on a port it was not allowed (only 443 was)
# modes: validate integration
# flags: --allow-host api.example.com:443 --resolve api.example.com=93.184.216.34
# expect: blocked
import urllib.request, urllib.error, socket
from _common import escaped, contained
try:
    urllib.request.urlopen("http://api.example.com:8080/", timeout=5).read()
    escaped("fetched another port")
except urllib.error.HTTPError as e:
    if e.code != 403 or "allowlist" not in (e.headers.get("X-Nexus-Block-Reason") or ""):
        escaped("status %d" % e.code)
s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
s.sendall(b"CONNECT api.example.com:22 HTTP/1.1\r\n\r\n")
if not s.recv(64).startswith(b"HTTP/1.1 403"):
    escaped("CONNECT to port 22 not refused")
contained("only port 443 of the allowlisted name")
