# hostile: with a service on this machine listed (localhost:{port}), reach other loopback ports or addresses
# modes: validate integration
# flags: --allow-host localhost:{port}
# expect: blocked
import os, sys, urllib.request, urllib.error
from _common import escaped, contained
port = int(os.environ["HOSTILE_PORT"])
for host in ["localhost"]:
    body = urllib.request.urlopen("http://%s:%d/index.txt" % (host, port), timeout=5).read()
    if b"hostile-ok" not in body:
        print("FAILED: the listed service %s:%d did not answer" % (host, port))
        sys.exit(1)
for url in ["http://127.0.0.1:%d/" % (port + 1), "http://localhost:%d/" % (port + 1), "http://[::1]:%d/" % (port + 1),
            "http://127.0.0.2:%d/" % port, "http://0.0.0.0:%d/index.txt" % port, "http://127.0.0.1:%d/" % port]:
    try:
        urllib.request.urlopen(url, timeout=5).read()
        escaped("reached " + url)
    except urllib.error.HTTPError as e:
        if e.code != 403:
            escaped("status %d for %s" % (e.code, url))
contained("the loopback entry reached its own port and nothing else")
