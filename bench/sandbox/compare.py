#!/usr/bin/env python3
"""Sandbox start-up overhead of two nexus builds, interleaved in one session: `python3 -c pass` bare,
under `sandbox exec` (exec mode), and module-shaped (validate mode with a read-only workspace, a data
directory and path grants; the older build gets the flags it knows). Wall and CPU (user+sys) per run.

Usage: bench/sandbox/compare.py NEW_NEXUS OLD_NEXUS [RUNS]   (prints a Markdown table)"""
import os, resource, shutil, statistics, subprocess, sys, tempfile, time

new, old = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 50
root = tempfile.mkdtemp(prefix="sandbox-bench-")
for d in ("ws", "data", "ro", "home"):
    os.mkdir(os.path.join(root, d))
open(os.path.join(root, "rw.txt"), "w").write("x\n")
env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.path.join(root, "home")}
py = ["python3", "-c", "pass"]
ws, ro = os.path.join(root, "ws"), os.path.join(root, "ro")
cases = {
    "bare python3 -c pass": py,
    "old: exec": [old, "sandbox", "exec", "--"] + py,
    "new: exec": [new, "sandbox", "exec", "--"] + py,
    "old: validate, workspace + --ro-path": [old, "sandbox", "exec", "--mode", "validate", "--workspace", ws,
                                             "--ro-path", ro, "--"] + py,
    "new: validate, --workspace-readonly + --data-dir + --ro-path + --rw-path + --cpu-seconds":
        [new, "sandbox", "exec", "--mode", "validate", "--workspace", ws, "--workspace-readonly", "--data-dir",
         os.path.join(root, "data"), "--ro-path", ro, "--rw-path", os.path.join(root, "rw.txt"),
         "--cpu-seconds", "30", "--"] + py,
}
wall = {k: [] for k in cases}
cpu = {k: [] for k in cases}


def once(argv):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        sys.exit("failed (%d): %s" % (code, " ".join(argv)))
    return (t1 - t0) * 1000, ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)) * 1000


for argv in cases.values():
    once(argv)
for _ in range(runs):
    for k, argv in cases.items():
        w, c = once(argv)
        wall[k].append(w)
        cpu[k].append(c)
shutil.rmtree(root, ignore_errors=True)
bw, bc = statistics.median(wall["bare python3 -c pass"]), statistics.median(cpu["bare python3 -c pass"])
print("| run | wall p50 ms | wall p90 ms | overhead p50 ms | CPU p50 ms | CPU overhead p50 ms |")
print("|---|---:|---:|---:|---:|---:|")
for k in cases:
    w = sorted(wall[k])
    p50, p90, c = statistics.median(w), w[max(0, int(len(w) * 0.9) - 1)], statistics.median(cpu[k])
    bare = k.startswith("bare")
    print("| %s | %.1f | %.1f | %s | %.1f | %s |" % (k, p50, p90, "—" if bare else "%.1f" % (p50 - bw), c,
                                                     "—" if bare else "%.1f" % (c - bc)))
