# hostile: an approved module rewrites its own folder (its code) at run time
# modes: validate integration
# flags: --workspace-readonly
# expect: contained
import os
from _common import escaped, contained
wrote = []
for p in ["/workspace/_common.py", "/workspace/new-file.py", "/workspace/mod_write_own_folder.py"]:
    try:
        with open(p, "a") as f:
            f.write("\nprint('injected')\n")
        wrote.append(p)
    except OSError:
        pass
try:
    os.rename("/workspace/_common.py", "/workspace/_moved.py")
    wrote.append("rename")
except OSError:
    pass
if wrote:
    escaped("changed its own folder: " + ", ".join(wrote))
contained("the module folder is read-only")
