# hostile: a setsid double fork that tries to outlive the sandbox (the runner then looks for the token on the host)
# modes: exec validate integration
# expect: timeout
import os, sys, time
token = os.environ.get("HOSTILE_TOKEN", "hostile-token")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("python3", ["python3", "-c", "import time; time.sleep(600)", token])
    os._exit(0)
time.sleep(600)
