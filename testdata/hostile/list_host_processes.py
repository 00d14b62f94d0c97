# hostile: lists the host's processes and their command lines
# modes: exec validate integration
# expect: contained
import os
from _common import escaped, contained
pids = [p for p in os.listdir("/proc") if p.isdigit()]
if len(pids) > 6:
    escaped("%d processes visible" % len(pids))
for p in pids:
    try:
        cmd = open("/proc/%s/cmdline" % p, "rb").read()
    except OSError:
        continue
    for word in (b"sshd", b"systemd", b"swift-build", b"dockerd", b"http.server"):
        if word in cmd:
            escaped("saw host process " + cmd.decode(errors="replace"))
contained("%d processes visible, all ours" % len(pids))
