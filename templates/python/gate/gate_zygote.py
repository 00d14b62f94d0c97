"""A fork server for the gate's test runs: imports unittest and the runtime helper once, then forks one
child per suite run, so each run starts in a few milliseconds instead of a new interpreter's ~100 ms.

Usage: python3 -I -B gate_zygote.py TEMPLATES   (requests on stdin, replies on stdout, one JSON per line)
Request: {"index": N, "folder": DIR, "test_file": F, "failfast": bool, "timeout": SECONDS}
Reply:   {"index": N, "report": {...} | null, "exit": STATUS, "timed_out": bool, "output": TAIL, "seconds": S}

gate_tests.py starts it after reading the nonce, as a new program: nothing here ever held the nonce. Each
child is its own session with stdout/stderr sent to a file, so module code never reaches the reply channel
through an inherited descriptor. A child reports on its own pipe, as gate_child.py does.
"""
import json
import os
import select
import signal
import sys
import threading
import time

TEMPLATES = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TEMPLATES)
import importlib.util  # noqa: E402,F401  (warm imports shared by every child)
import traceback  # noqa: E402,F401
import unittest  # noqa: E402,F401

import gate_child  # noqa: E402
import nexus_adapter  # noqa: E402,F401

OUTPUT_LIMIT = 4000
reply_lock = threading.Lock()
reply_out = os.fdopen(os.dup(1), "w", buffering=1)


def reply(payload: dict) -> None:
    with reply_lock:
        reply_out.write(json.dumps(payload) + "\n")
        reply_out.flush()


def child(req: dict, report_fd: int, out_path: str) -> None:
    """In the forked child: cut every tie to the zygote, then run the suite in this process."""
    try:
        os.setsid()
        # Still not dumpable (inherited): sibling runs cannot reach each other's report pipes either.
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        # The report pipe moves to a random descriptor number: nothing in the suite can aim at a known one.
        limit = min(os.sysconf("SC_OPEN_MAX"), 1024)
        moved = 16 + int.from_bytes(os.urandom(2), "big") % max(limit - 17, 1)
        os.dup2(report_fd, moved)
        os.close(report_fd)
        report_fd = moved
        os.closerange(3, report_fd)
        os.closerange(report_fd + 1, limit)
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", buffering=1, closefd=False)
        sys.stderr = open(2, "w", buffering=1, closefd=False)
        data = f"/tmp/gate-data-{req['index']}"
        os.makedirs(data, exist_ok=True)
        os.environ.clear()
        os.environ.update({"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC", "HOME": data,
                           "PYTHONPATH": TEMPLATES, "PYTHONDONTWRITEBYTECODE": "1", "NEXUS_MODULE_DATA": data,
                           "NEXUS_GATE": "1"})
        gate_child.run(req["folder"], req["test_file"], report_fd, TEMPLATES, bool(req.get("failfast")))
    finally:
        os._exit(0)


def supervise(req: dict, pid: int, report_fd: int, out_path: str, start: float) -> None:
    chunks, deadline, timed_out = [], start + float(req.get("timeout", 20)), False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([report_fd], [], [], min(left, 1.0))
        if ready:
            b = os.read(report_fd, 65536)
            if not b:
                break
            if sum(len(c) for c in chunks) < 1 << 20:
                chunks.append(b)
    status = None
    while status is None:
        if timed_out or time.monotonic() > deadline:
            timed_out = True
            _kill(pid)
        done, raw = os.waitpid(pid, 0 if timed_out else os.WNOHANG)
        if done:
            status = raw
        else:
            time.sleep(0.005)
    _kill(pid)  # whatever the suite started and left running in its session
    os.close(report_fd)
    try:
        with open(out_path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - OUTPUT_LIMIT))
            output = fh.read().decode("utf-8", "replace")
    except OSError:
        output = ""
    try:
        report = json.loads(b"".join(chunks).decode("utf-8"))
        report = report if isinstance(report, dict) else None
    except Exception:
        report = None
    code = os.waitstatus_to_exitcode(status) if status is not None else -9
    reply({"index": req["index"], "report": report, "exit": code, "timed_out": timed_out, "output": output,
           "seconds": round(time.monotonic() - start, 3)})


def _set_dumpable(value: int) -> None:
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, value, 0, 0, 0)  # PR_SET_DUMPABLE
    except Exception:
        pass


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def main() -> None:
    _set_dumpable(0)  # children cannot reach our reply pipe through /proc/<zygote>/fd
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # replies go through reply_out (a private copy of the original stdout) only
    for line in sys.stdin:
        req = json.loads(line)
        out_path = f"/tmp/gate-out-{req['index']}"
        read_fd, write_fd = os.pipe()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            child(req, write_fd, out_path)
        os.close(write_fd)
        threading.Thread(target=supervise, args=(req, pid, read_fd, out_path, start), daemon=True).start()
    # stdin closed: wait for the last replies
    for t in threading.enumerate():
        if t is not threading.current_thread():
            t.join()


if __name__ == "__main__":
    main()
