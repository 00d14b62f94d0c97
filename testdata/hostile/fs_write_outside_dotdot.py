# hostile: writes outside the workspace with ../ and absolute paths
# modes: exec validate integration
# expect: contained
import os
from _common import escaped, contained
marker = "hostile-" + str(os.getpid())
wrote = []
for p in ["/workspace/../escape-" + marker, "/workspace/../../tmp/../etc/" + marker, "/usr/" + marker,
          "/etc/" + marker, "/" + marker, "/proc/sys/kernel/" + marker, "/run/" + marker]:
    try:
        with open(p, "w") as f:
            f.write("x")
        wrote.append(p)
    except OSError:
        pass
# /tmp is private and writable by design; anything else is an escape
if wrote:
    escaped("wrote " + ", ".join(wrote))
contained("no write outside the workspace")
