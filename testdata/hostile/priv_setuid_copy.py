# hostile: makes a setuid copy of a shell and runs it hoping for privileges
# modes: exec validate integration
# expect: contained
import os, shutil, subprocess
from _common import escaped, contained
dst = "/tmp/suid-sh"
shutil.copy("/bin/sh", dst)
try:
    os.chmod(dst, 0o4755)
except OSError:
    pass
out = subprocess.run([dst, "-c", "grep CapEff /proc/self/status"], capture_output=True, text=True).stdout
if out.split()[-1] != "0000000000000000":
    escaped("setuid copy gained capabilities: " + out)
contained("setuid copy gained nothing: " + out.strip())
