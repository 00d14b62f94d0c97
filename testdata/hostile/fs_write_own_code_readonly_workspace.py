# hostile: a module rewrites its own approved code: plants a .pyc in __pycache__, edits its source, adds a file
# modes: validate integration
# flags: --workspace-readonly
# expect: contained
import os
from _common import escaped, contained
me = os.path.abspath(__file__)
attempts = []
for path, mode in [(os.path.join(os.path.dirname(me), "__pycache__"), "mkdir"), (me, "a"),
                   (os.path.join(os.path.dirname(me), "planted.py"), "w"),
                   (os.path.join(os.path.dirname(me), "_common.cpython-311.pyc"), "wb")]:
    try:
        if mode == "mkdir":
            os.mkdir(path)
        else:
            with open(path, mode) as f:
                f.write("# planted\n" if "b" not in mode else b"\0")
        attempts.append(path)
    except OSError:
        pass
if attempts:
    escaped("wrote its own folder: " + ", ".join(attempts))
contained("the module folder is read-only at run time")
