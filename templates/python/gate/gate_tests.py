"""Gate checks e (the module's own tests pass, offline) and f (the tests have teeth: mutation score).

Usage: python3 -I -B gate_tests.py WORKSPACE TEMPLATES ENTRY_POINT TEST_FILE   (nonce on stdin)

This process never imports module code. It makes the mutants from the pristine adapter and copies the
folder once per run into the sandbox's private /tmp, then reads a nonce from stdin (nexus writes it once
the static checks pass, then closes the pipe; an empty stdin calls the run off). It then runs each suite
in a child forked by a fork server (gate_zygote.py, a new program started after the nonce was read) that
reports on its own pipe. When every run is over it kills whatever the runs left behind, then prints one
line: the nonce, a space and the JSON result. Module code never saw the nonce, so a line it prints (or writes to our stdout through /proc)
cannot pass for the result.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gate_mutate  # noqa: E402

RUN_TIMEOUT = 20.0
MUTANT_TIMEOUT = 12.0
OUTPUT_LIMIT = 4000
WORKERS = 2


def not_dumpable() -> None:
    """PR_SET_DUMPABLE 0: processes of the same uid (the suites) can no longer open /proc/<us>/mem or
    /proc/<us>/fd/*, so they cannot read our memory (the nonce) or write to our stdout or pipes."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except Exception:
        pass


def count_static_tests(folder: str, test_file: str) -> int:
    """test* methods in TestCase subclasses of the test file, read from its AST (a floor for the run count)."""
    try:
        with open(os.path.join(folder, test_file), encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
    except Exception:
        return 0
    n = 0
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
                (isinstance(b, ast.Attribute) and b.attr == "TestCase") or (isinstance(b, ast.Name) and
                                                                           b.id == "TestCase") for b in node.bases):
            n += sum(1 for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and f.name.startswith("test"))
    return n


def fast_runtime(templates: str) -> str:
    """The runtime helper with its retry back-off capped at 20 ms: mutants fail the same, only sooner."""
    with open(os.path.join(templates, "nexus_adapter.py"), encoding="utf-8") as fh:
        text = fh.read()
    return text.replace("time.sleep(max(0.0, seconds))", "time.sleep(min(max(0.0, seconds), 0.02))") \
               .replace("ev.wait(max(0.0, seconds))", "ev.wait(min(max(0.0, seconds), 0.02))")


def prepare(src: str, dst: str, templates: str, adapter: tuple[str, str] | None, runtime_text: str | None) -> None:
    shutil.copytree(src, dst, symlinks=True)
    runtime = os.path.join(dst, "nexus_adapter.py")
    if not os.path.exists(runtime):  # installed modules carry the runtime beside adapter.py; so does each run
        if runtime_text is None:
            shutil.copyfile(os.path.join(templates, "nexus_adapter.py"), runtime)
        else:
            with open(runtime, "w", encoding="utf-8") as fh:
                fh.write(runtime_text)
    if adapter:
        with open(os.path.join(dst, adapter[0]), "w", encoding="utf-8") as fh:
            fh.write(adapter[1])


class Zygote:
    """gate_zygote.py: forks one child per suite run; replies are matched to requests by index."""

    def __init__(self, templates: str):
        self.proc = subprocess.Popen([sys.executable, "-I", "-B", os.path.join(HERE, "gate_zygote.py"), templates],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        self.lock = threading.Lock()
        self.replies: dict = {}
        self.events: dict = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                r = json.loads(line)
                index = r["index"]
            except Exception:
                continue
            with self.lock:
                self.replies[index] = r
                ev = self.events.get(index)
            if ev:
                ev.set()
        with self.lock:  # the zygote is gone: nobody waits forever
            for ev in self.events.values():
                ev.set()

    def run(self, index: int, folder: str, test_file: str, timeout: float, failfast: bool) -> dict:
        ev = threading.Event()
        with self.lock:
            self.events[index] = ev
            self.proc.stdin.write((json.dumps({"index": index, "folder": folder, "test_file": test_file,
                                               "failfast": failfast, "timeout": timeout}) + "\n").encode())
            self.proc.stdin.flush()
        ev.wait(timeout + 15)
        with self.lock:
            r = self.replies.get(index)
        if r is None:
            return {"seconds": timeout, "exit": -1, "timed_out": True, "output": "", "report": None}
        return r

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(5)
        except Exception:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass


def verdict(run: dict) -> tuple[bool, str]:
    """(all tests passed, why not)."""
    if run["timed_out"]:
        return False, f"timed out after {RUN_TIMEOUT:.0f} s"
    r = run["report"]
    if r is None:
        return False, f"the suite ended before reporting (exit status {run['exit']})"
    if run["exit"] != 0:
        return False, f"the test process exited with status {run['exit']}"
    try:
        failed = int(r.get("failures", 0)) + int(r.get("errors", 0)) + int(r.get("unexpected_successes", 0))
        ran = int(r.get("run", 0))
    except (TypeError, ValueError):
        return False, "unreadable report"
    if ran == 0:
        return False, "no tests ran"
    if failed:
        return False, f"{failed} of {ran} tests failed"
    skipped = r.get("skipped", 0) if isinstance(r.get("skipped", 0), int) else 0
    if skipped >= ran:
        return False, f"all {ran} tests were skipped"
    return True, ""


def main() -> int:
    not_dumpable()
    workspace, templates, entry, test_file = sys.argv[1:5]
    result: dict = {"tests": {}, "mutation": {}}
    start = time.monotonic()

    # Preparation reads the module's files but runs none of its code: nexus starts it while the static
    # checks run, and only sends the nonce (the go-ahead) if they pass.
    static_count = count_static_tests(workspace, test_file)
    try:
        with open(os.path.join(workspace, entry), encoding="utf-8") as fh:
            source = fh.read()
        mutants = gate_mutate.make_mutants(source)
    except Exception as exc:
        source, mutants = None, []
        result["mutation"]["error"] = f"cannot make mutants of {entry}: {type(exc).__name__}: {exc}"
    root = "/tmp/gate-runs"
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    prepare(workspace, f"{root}/original", templates, None, None)
    fast = fast_runtime(templates)
    for i, m in enumerate(mutants):
        prepare(workspace, f"{root}/m{i}", templates, (entry, m.source), fast)

    nonce = sys.stdin.readline().strip()
    if not nonce:
        return 3  # called off: the static checks failed
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)

    zygote = Zygote(templates)  # a new program, started after the nonce was read: it never saw it
    # The original and the mutants share the workers: the mutants' verdicts only count if the original passes.
    jobs = [("original", -1)] + [(f"m{i}", i) for i in range(len(mutants))]
    runs: dict = {}
    lock = threading.Lock()
    mstart = time.monotonic()

    def worker():
        while True:
            with lock:
                if not jobs:
                    return
                name, i = jobs.pop(0)
            if i < 0:
                runs[name] = zygote.run(0, f"{root}/original", test_file, RUN_TIMEOUT, False)
            else:
                runs[name] = zygote.run(i + 1, f"{root}/{name}", test_file, MUTANT_TIMEOUT, True)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    zygote.close()

    original = runs["original"]
    ok, why = verdict(original)
    r = original["report"] or {}
    ran = r.get("run", 0) if isinstance(r.get("run", 0), int) else 0
    failed = sum(r.get(k, 0) for k in ("failures", "errors") if isinstance(r.get(k, 0), int))
    if ok and ran < static_count:
        ok, why = False, f"only {ran} of the {static_count} tests in {test_file} ran"
    skipped = r.get("skipped", 0) if isinstance(r.get("skipped", 0), int) else 0
    result["tests"] = {"passed": ok, "why": why, "run": max(ran, static_count), "failed": failed,
                       "passed_count": max(ran - failed - skipped, 0) if original["report"] else 0,
                       "skipped": r.get("skipped", 0), "problems": (r.get("problems") or [])[:3],
                       "output": original["output"][-1500:], "seconds": original["seconds"]}
    survived = [verdict(runs[f"m{i}"])[0] for i in range(len(mutants))]
    survivors = [m.describe() for m, s in zip(mutants, survived) if s]
    result["mutation"].update({"made": len(mutants), "killed": len(mutants) - len(survivors) if ok else 0,
                               "survivors": survivors if ok else [], "mutants": [m.describe() for m in mutants],
                               "not_run": not ok, "run_seconds": [runs[f"m{i}"]["seconds"] for i in
                                                                  range(len(mutants))],
                               "seconds": round(time.monotonic() - mstart, 3)})

    # Whatever the suites left behind (daemons, forks) dies before the result is written.
    if os.getppid() == 1 and os.getpid() <= 3:  # only inside the sandbox's own pid namespace
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
    result["seconds"] = round(time.monotonic() - start, 3)
    sys.stdout.write(nonce + " " + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
