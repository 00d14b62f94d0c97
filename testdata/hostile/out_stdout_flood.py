# hostile: writes 100 MB to stdout
# modes: exec validate integration
# expect: contained
import sys
line = b"A" * 1023 + b"\n"
out = sys.stdout.buffer
for _ in range(100 * 1024):
    out.write(line)
out.flush()
print("CONTAINED: wrote 100 MB; the jailer keeps a bounded copy", flush=True)
