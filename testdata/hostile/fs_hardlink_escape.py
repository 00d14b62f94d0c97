# hostile: hard-links a file from outside the workspace into it, then writes through the link
# modes: validate integration
# expect: contained
import os
from _common import escaped, contained
for src in ["/etc/passwd", "/usr/bin/python3", "/etc/hosts"]:
    dst = "/workspace/hl-" + os.path.basename(src)
    try:
        os.link(src, dst)
        with open(dst, "a") as f:
            f.write("pwned\n")
        escaped("wrote through a hard link to " + src)
    except OSError:
        pass
contained("no hard link out")
