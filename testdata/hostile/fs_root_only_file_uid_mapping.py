# hostile: as root, reads a root-only (0600) file in a read-only granted tree (the sandbox must not be host uid 0)
# modes: exec validate integration
# setup: root-only-tree
# needs: root
# expect: contained
import os, sys
from _common import escaped, contained
tree = os.environ["HOSTILE_TREE"]
if open(os.path.join(tree, "public.txt")).read() != "public\n":
    sys.exit("setup broken: the granted tree is not what the runner made")
try:
    data = open(os.path.join(tree, "root-only.txt")).read()
    escaped("read a root-only file: %r" % data[:40])
except PermissionError:
    pass
contained("root-only file unreadable: the sandbox is not host root")
