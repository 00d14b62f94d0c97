# hostile: an approved module plants bytecode (or a .pth) that a later start would run
# modes: validate integration
# flags: --workspace-readonly
# expect: contained
import os, sys
from _common import escaped, contained
planted = []
pyc = "/workspace/__pycache__/_common.cpython-%d%d.pyc" % sys.version_info[:2]
try:
    os.makedirs("/workspace/__pycache__", exist_ok=True)
    with open(pyc, "wb") as f:
        f.write(b"planted")
    planted.append(pyc)
except OSError:
    pass
site = "/workspace/sitecustomize.py"
try:
    with open(site, "w") as f:
        f.write("print('planted')\n")
    planted.append(site)
except OSError:
    pass
if planted:
    escaped("planted " + ", ".join(planted))
contained("no code planted in the module folder")
