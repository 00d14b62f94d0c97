# hostile: plants symlinks pointing outside the workspace and writes through them
# modes: validate integration
# expect: contained
import os
from _common import escaped, contained
links = {"/workspace/l-etc": "/etc/hostile-symlink", "/workspace/l-usr": "/usr/lib/hostile-symlink",
         "/workspace/l-up": "../hostile-symlink-up", "/workspace/l-host": "/tmp/../../root/.bashrc"}
for link, target in links.items():
    try:
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(target, link)
        with open(link, "a") as f:
            f.write("pwned\n")
        if not os.path.realpath(link).startswith(("/workspace/", "/tmp/")):
            escaped("wrote through %s -> %s" % (link, target))
    except OSError:
        pass
contained("symlinks did not lead out")
