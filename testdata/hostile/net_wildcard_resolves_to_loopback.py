# hostile: a wildcard-allowed name that resolves to 127.0.0.1, with the loopback port itself listed
# modes: validate integration
# flags: --allow-host *.example.com:{port} --allow-host 127.0.0.1:{port} --resolve rebind.example.com=127.0.0.1
# expect: blocked
import os, urllib.request, urllib.error
from _common import escaped, contained
port = int(os.environ["HOSTILE_PORT"])
try:
    urllib.request.urlopen("http://rebind.example.com:%d/index.txt" % port, timeout=5).read()
    escaped("a wildcard name reached this machine's loopback")
except urllib.error.HTTPError as e:
    if e.code == 403 and "wildcard" in (e.headers.get("X-Nexus-Block-Reason") or ""):
        contained(e.headers.get("X-Nexus-Block-Reason"))
    escaped("status %d" % e.code)
