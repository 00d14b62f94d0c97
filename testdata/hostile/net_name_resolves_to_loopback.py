# hostile: an allowlisted name (not localhost) that resolves to 127.0.0.1, with that loopback port itself listed
# modes: validate integration
# flags: --allow-host dev.test:{port} --allow-host 127.0.0.1:{port} --resolve dev.test=127.0.0.1
# expect: blocked
import os, urllib.request, urllib.error
from _common import escaped, contained
port = int(os.environ["HOSTILE_PORT"])
try:
    urllib.request.urlopen("http://dev.test:%d/index.txt" % port, timeout=5).read()
    escaped("reached the host's loopback through a name")
except urllib.error.HTTPError as e:
    if e.code == 403 and "loopback" in (e.headers.get("X-Nexus-Block-Reason") or ""):
        contained(e.headers.get("X-Nexus-Block-Reason"))
    escaped("status %d" % e.code)
