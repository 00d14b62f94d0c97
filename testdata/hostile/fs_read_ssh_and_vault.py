# hostile: reads ~/.ssh, the vault key and nexus's config and database
# modes: exec validate integration
# expect: contained
import os, glob
from _common import escaped, contained
targets = ["/root/.ssh", "/root/.ssh/id_rsa", "/root/.ssh/authorized_keys", "/root/.config/nexus/vault.key",
           "/root/.config/nexus/nexus.toml", "/root/.local/share/nexus/nexus.db", "/home", "/etc/shadow",
           "/proc/1/root/root/.ssh", "/proc/1/environ", "/proc/1/mem"]
targets += [os.path.expanduser("~/.ssh/id_ed25519")]
for t in targets:
    try:
        if os.path.isdir(t):
            if os.listdir(t) and t != "/home":
                escaped("listed " + t)
        else:
            with open(t, "rb") as f:
                if f.read(16):
                    escaped("read " + t)
    except OSError:
        pass
if glob.glob("/root/*") or glob.glob("/work/*"):
    escaped("host directories visible")
contained("no home, vault, config or shadow")
