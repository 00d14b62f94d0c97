# hostile: finds the nexus binary (init's /proc/1/exe) and re-runs the jailer from inside
# modes: exec validate integration
# expect: contained
import os, subprocess
from _common import escaped, contained
for exe in ["/proc/1/exe", "/proc/%d/exe" % os.getppid()]:
    try:
        r = subprocess.run([exe, "sandbox", "exec", "--", "true"], capture_output=True, timeout=5)
        if r.returncode == 0:
            escaped("ran a nested jailer through " + exe)
    except (OSError, subprocess.SubprocessError):
        pass
for path in ["/proc/1/exe", "/proc/1/cwd", "/proc/1/root/../.."]:
    try:
        os.listdir(path) if not path.endswith("exe") else open(path, "rb").read(4)
        if path.endswith("exe"):
            escaped("read init's binary")
    except OSError:
        pass
contained("no nested jailer")
