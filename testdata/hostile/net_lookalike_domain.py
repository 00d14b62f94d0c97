# hostile: lookalike domains of an allowlisted host
# modes: validate integration
# flags: --allow-host api.example.com --allow-host *.good.test
# expect: blocked
import urllib.request, urllib.error
from _common import escaped, contained
for url in ["http://api.example.com.evil.net/", "http://evilapi.example.com/", "http://api-example.com/",
            "http://good.test/", "http://xgood.test/", "http://api.example.com@evil.net/"]:
    try:
        urllib.request.urlopen(url, timeout=5).read()
        escaped("fetched " + url)
    except urllib.error.HTTPError as e:
        if e.code not in (400, 403):  # 400: userinfo@ is refused as an invalid host
            escaped("status %d for %s" % (e.code, url))
contained("every lookalike was refused")
