# hostile: an allowlisted host on a port that is not allowed
# modes: validate integration
# flags: --allow-host 127.0.0.1:{port}
# expect: blocked
import os, urllib.request, urllib.error
from _common import escaped, contained
port = int(os.environ["HOSTILE_PORT"])
try:
    urllib.request.urlopen("http://127.0.0.1:%d/index.txt" % (port + 1), timeout=5).read()
    escaped("reached another port")
except urllib.error.HTTPError as e:
    if e.code == 403:
        contained("403 for another port")
    escaped("status %d" % e.code)
except OSError as e:
    escaped("unexpected error %r" % e)
