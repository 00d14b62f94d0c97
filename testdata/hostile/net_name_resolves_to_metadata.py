# hostile: an allowlisted name that resolves to the cloud metadata address 169.254.169.254
# modes: validate integration
# flags: --allow-host metadata.test --resolve metadata.test=169.254.169.254
# expect: blocked
import urllib.request, urllib.error
from _common import escaped, contained
try:
    urllib.request.urlopen("http://metadata.test/latest/meta-data/", timeout=5).read()
    escaped("reached the metadata address")
except urllib.error.HTTPError as e:
    if e.code == 403 and "link-local" in (e.headers.get("X-Nexus-Block-Reason") or ""):
        contained(e.headers.get("X-Nexus-Block-Reason"))
    escaped("status %d" % e.code)
