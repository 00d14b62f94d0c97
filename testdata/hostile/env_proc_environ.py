# hostile: reads its own and other processes' environments looking for nexus's secrets
# modes: exec validate integration
# expect: contained
import os
from _common import escaped, contained
secret = b"HOSTILE_HOST_SECRET"
own = open("/proc/self/environ", "rb").read()
if secret in own:
    escaped("host secret in own environment")
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        if secret in open("/proc/%s/environ" % p, "rb").read():
            escaped("host secret in /proc/%s/environ" % p)
    except OSError:
        pass
    try:
        if secret in open("/proc/%s/cmdline" % p, "rb").read():
            escaped("host secret in /proc/%s/cmdline" % p)
    except OSError:
        pass
contained("no host environment visible")
