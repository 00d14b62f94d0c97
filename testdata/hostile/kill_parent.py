# hostile: kills its parent (the sandbox init) and everything it can signal
# modes: exec validate integration
# expect: contained
import os, signal
from _common import escaped, contained
for sig in (signal.SIGKILL, signal.SIGTERM):
    try:
        os.kill(os.getppid(), sig)
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGTERM)
except OSError:
    pass
# still alive, and the sandbox still reports our exit code: contained
contained("parent survives; ppid %d" % os.getppid())
