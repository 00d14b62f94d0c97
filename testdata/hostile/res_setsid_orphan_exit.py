# hostile: a setsid double fork whose parent exits at once, leaving the orphan behind
# modes: exec validate integration
# expect: contained
import os
from _common import contained
token = os.environ.get("HOSTILE_TOKEN", "hostile-token")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("python3", ["python3", "-c", "import time; time.sleep(600)", token])
    os._exit(0)
os.wait()
contained("parent exits; the orphan must die with the sandbox")
