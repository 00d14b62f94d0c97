# hostile: asks the proxy for a host that is not on the allowlist
# modes: validate integration
# expect: blocked
import os, urllib.request, urllib.error
from _common import escaped, contained
try:
    urllib.request.urlopen("http://not-allowed.example/", timeout=5).read()
    escaped("fetched a non-allowlisted host")
except urllib.error.HTTPError as e:
    if e.code == 403 and "allowlist" in (e.headers.get("X-Nexus-Block-Reason") or ""):
        contained("403: " + e.headers.get("X-Nexus-Block-Reason"))
    escaped("unexpected status %d" % e.code)
