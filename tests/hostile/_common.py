# Shared helpers for the hostile corpus (copied next to each program in the workspace).
import sys

def escaped(what):
    print("ESCAPED:", what, flush=True)
    sys.exit(99)

def contained(what):
    print("CONTAINED:", what, flush=True)
    sys.exit(0)
