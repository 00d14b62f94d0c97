# hostile: a fork bomb
# modes: exec validate integration
# expect: contained
import os, time
from _common import escaped, contained
children = 0
try:
    for _ in range(100000):
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
except OSError:
    pass
if children >= 5000:
    escaped("forked %d processes" % children)
contained("fork refused after %d children" % children)
